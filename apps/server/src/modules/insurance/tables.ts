import type { Generated } from 'kysely';

/** An insurance card a consumer bound (the card number is kept whole: the insurer needs it to pay). */
export interface InsuranceCardsTable {
  id: string;
  consumer_id: string;
  insurer: string;
  card_no: string;
  holder_name: string;
  created_at: Generated<Date>;
}

declare module '../../platform/database.ts' {
  interface Database {
    insurance_cards: InsuranceCardsTable;
  }
}

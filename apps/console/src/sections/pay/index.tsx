import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Orders with their ledger entries and notification attempts, refunds, bills, balances, settlement and payouts, keys and certificates.' },
  zh: { what: '订单（含账务分录与通知记录）、退款、账单、余额、结算与提现、密钥与证书。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('pay')} description={s('what')} />;
}

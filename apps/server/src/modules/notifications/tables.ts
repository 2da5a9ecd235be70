import type { ColumnType, Generated } from 'kysely';
import type { Json } from '../../platform/outbox-tables.ts';

export interface MessageTemplatesTable {
  template_id: string;
  account_id: string;
  title: string;
  primary_industry: Generated<string>;
  deputy_industry: Generated<string>;
  /** `{{first.DATA}}\n订单号：{{keyword1.DATA}}…` */
  content: string;
  example: Generated<string>;
  created_at: Generated<Date>;
}

export type TemplateSendStatus = 'success' | 'failed:user block' | 'failed: system failed';

export interface TemplateSendsTable {
  msgid: Generated<bigint>;
  account_id: string;
  consumer_id: string;
  openid: string;
  template_id: string;
  status: TemplateSendStatus;
  created_at: Generated<Date>;
}

export type MassAudience = 'all' | 'tag' | 'openids' | 'preview';
export type MassJobStatus = 'sending' | 'success' | 'fail' | 'deleted';
export type RecipientState = 'pending' | 'sent' | 'filtered' | 'error';

export interface MassJobsTable {
  /** The msg_id of the WeChat wire. */
  id: Generated<bigint>;
  account_id: string;
  org_id: string;
  audience: MassAudience;
  tag_id: number | null;
  /** The openid list of `mass/send` (deduplicated), expanded into recipients by the worker. */
  openids: ColumnType<unknown, string | null, string | null>;
  msgtype: string;
  /** The MessageContent every recipient's thread receives. */
  content: Json;
  clientmsgid: string | null;
  msg_data_id: bigint | null;
  status: MassJobStatus;
  expanded: Generated<boolean>;
  total_count: Generated<number>;
  sent_count: Generated<number>;
  /** Followers left out (blocked, unsubscribed, over their monthly limit). */
  filtered_count: Generated<number>;
  error_count: Generated<number>;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface MassRecipientsTable {
  job_id: bigint;
  account_id: string;
  consumer_id: string;
  openid: string;
  state: Generated<RecipientState>;
  reason: string | null;
  sent_month: string | null;
}

declare module '../../platform/database.ts' {
  interface Database {
    message_templates: MessageTemplatesTable;
    template_sends: TemplateSendsTable;
    mass_jobs: MassJobsTable;
    mass_recipients: MassRecipientsTable;
  }
}

import { api, enc } from '../lib/api.ts';

/** The operator admin's calls (cookie session `lj_o`): /api/v1/operator/*. */

export type OrgStatus = 'pending' | 'approved' | 'suspended';
export type AccountStatus = 'active' | 'suspended';
export interface Quota { api: string; used: number; limit: number | null }
export interface OperatorAccount { id: string; name: string; appid: string; type: string; status: AccountStatus; quotas: Quota[] }
export interface Org {
  id: string;
  name: string;
  status: OrgStatus;
  statusNote: string;
  createdAt: string;
  reviewedAt: string | null;
  owners: string[];
  payAccount: { mchId: string; appid: string } | null;
  accounts: OperatorAccount[];
}
export interface LedgerOverview {
  totals: { kind: string; accounts: number; balance: string }[];
  sum: string;
  ok: boolean;
  verify: {
    transactionsNotZero: { transactionId: string; sum: string }[];
    transactionsEmpty: { transactionId: string }[];
    balancesMismatched: { accountId: string; balance: string; entriesSum: string }[];
    negative: { accountId: string; balance: string }[];
  };
  fees: { balance: string; byDay: { day: string; amount: string }[] };
}
export interface Rate { total: number; failed: number }
export interface Notifications {
  backlog: { kind: string; pending: number; dead: number; oldestDueAt: string | null }[];
  attempts: { kind: string; hour: Rate; day: Rate }[];
}
export interface Health {
  db: { ok: boolean; latencyMs: number; error?: string };
  worker: { enabled: boolean; ok: boolean; overdue: number };
  sweeper: { lastSettledAt: string | null };
}
export type ReportCategory = 'spam' | 'fraud' | 'harassment' | 'illegal' | 'other';
export type Resolution = 'dismissed' | 'warned' | 'suspended';
export interface Report {
  id: string;
  accountId: string;
  accountName: string;
  accountStatus: AccountStatus;
  orgId: string;
  orgName: string;
  consumerId: string;
  consumerNickname: string;
  category: ReportCategory;
  text: string;
  status: 'open' | 'resolved';
  resolution: Resolution | null;
  note: string;
  createdAt: string;
  resolvedAt: string | null;
}

export const operatorApi = {
  me: () => api.get<{ id: string; email: string }>('/api/v1/operator/me'),
  signIn: (body: { email: string; password: string }) => api.post<{ operator: { id: string; email: string } }>('/api/v1/operator/signin', body),
  signOut: () => api.post<{ ok: true }>('/api/v1/operator/signout'),
  orgs: (status?: OrgStatus) => api.get<Org[]>(`/api/v1/operator/orgs${status ? `?status=${status}` : ''}`),
  orgAction: (orgId: string, action: 'approve' | 'suspend' | 'unsuspend', note: string) => api.post<Org>(`/api/v1/operator/orgs/${enc(orgId)}/${action}`, { note }),
  setAccountStatus: (accountId: string, status: AccountStatus) => api.put<{ id: string; status: AccountStatus }>(`/api/v1/operator/accounts/${enc(accountId)}/status`, { status }),
  ledger: () => api.get<LedgerOverview>('/api/v1/operator/ledger'),
  notifications: () => api.get<Notifications>('/api/v1/operator/notifications'),
  health: () => api.get<Health>('/api/v1/operator/health'),
  reports: (status: 'open' | 'resolved') => api.get<Report[]>(`/api/v1/operator/reports?status=${status}`),
  resolve: (id: string, body: { action: Resolution; note?: string; suspendOrg?: boolean }) => api.post<Report>(`/api/v1/operator/reports/${enc(id)}/resolve`, body),
};

/** Fen (decimal string) → "¥1,234.56". */
export function yuan(fen: string): string {
  const n = BigInt(fen);
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const whole = (abs / 100n).toLocaleString('en-US');
  return `${neg ? '−' : ''}¥${whole}.${String(abs % 100n).padStart(2, '0')}`;
}

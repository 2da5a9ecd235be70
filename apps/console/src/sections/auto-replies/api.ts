import { api, enc, type Account } from '../../lib/api.ts';

export type MatchKind = 'exact' | 'contains' | 'default';
export interface AutoReply {
  id: string;
  match: MatchKind;
  keyword: string;
  replyText: string;
}
export interface RuleInput {
  match: MatchKind;
  keyword?: string;
  replyText: string;
}

const base = (accountId: string) => `/api/v1/merchant/accounts/${enc(accountId)}/auto-replies`;

/** Auto-reply rules and the welcome message (apps/server/src/modules/accounts/routes.ts). */
export const replyApi = {
  list: (accountId: string) => api.get<AutoReply[]>(base(accountId)),
  create: (accountId: string, input: RuleInput) => api.post<AutoReply>(base(accountId), input),
  update: (accountId: string, id: string, input: RuleInput) => api.put<AutoReply>(`${base(accountId)}/${enc(id)}`, input),
  remove: (accountId: string, id: string) => api.del<{ ok: true }>(`${base(accountId)}/${enc(id)}`),
  setWelcome: (accountId: string, welcomeMessage: string | null) => api.patch<Account>(`/api/v1/merchant/accounts/${enc(accountId)}`, { welcomeMessage }),
};

export const LIMITS = { keyword: 30, reply: 600 } as const;

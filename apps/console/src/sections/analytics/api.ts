import { api, enc } from '../../lib/api.ts';

export interface FunnelStep {
  scans: number;
  follows: number;
  orders: number;
  paid: number;
}

/** GET /api/v1/merchant/analytics/charts: every chart per CST day (money in fen). */
export interface Charts {
  from: string;
  to: string;
  followers: Array<{ date: string; new: number; lost: number; net: number; cumulative: number }>;
  messages: Array<{ date: string; type: string; count: number; users: number }>;
  menu: Array<{ event: string; key: string; name: string | null; clicks: number }>;
  funnel: { overall: FunnelStep; scenes: Array<FunnelStep & { scene: string; name: string | null }> };
  revenue: Array<{ date: string; orders: number; paid: number; refunds: number; refundCount: number; net: number }>;
}

export const loadCharts = (from: string, to: string, accountId: string) =>
  api.get<Charts>(`/api/v1/merchant/analytics/charts?from=${enc(from)}&to=${enc(to)}${accountId ? `&accountId=${enc(accountId)}` : ''}`);

/** Yuan with two decimals, from fen. */
export const yuan = (fen: number) => (fen / 100).toFixed(2);

/** `b / a` as a percentage with one decimal, or '—' when there is nothing to divide. */
export const pct = (a: number, b: number) => (a > 0 ? `${((b / a) * 100).toFixed(1)}%` : '—');

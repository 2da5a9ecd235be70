import { api, enc } from '../../lib/api.ts';

export interface QrCode {
  ticket: string;
  url: string;
  permanent: boolean;
  sceneId: string | null;
  sceneStr: string | null;
  name: string | null;
  expiresAt: string | null;
  createdAt: string;
  expired: boolean;
  disabled: boolean;
  scans: number;
  follows: number;
  paidOrders: number;
}

export interface CreateQrInput {
  name: string;
  permanent: boolean;
  sceneStr?: string;
  expireSeconds?: number;
}

const base = (accountId: string) => `/api/v1/merchant/accounts/${enc(accountId)}/qrcodes`;

/** Scene QR codes of an account (apps/server/src/modules/qrcodes/routes.ts). */
export const qrApi = {
  list: (accountId: string) => api.get<QrCode[]>(base(accountId)),
  setDisabled: (accountId: string, ticket: string, disabled: boolean) => api.patch<{ ticket: string; disabled: boolean }>(`${base(accountId)}/${enc(ticket)}`, { disabled }),
  create: (accountId: string, input: CreateQrInput) => api.post<Omit<QrCode, 'expired' | 'disabled' | 'scans' | 'follows' | 'paidOrders'>>(base(accountId), input),
};

/** The PNG of a live code (WeChat's showqrcode: anyone holding the ticket). */
export const pngUrl = (ticket: string) => `/cgi-bin/showqrcode?ticket=${enc(ticket)}`;

export const QR_LIMITS = { nameMax: 64, sceneMax: 64, temporaryMaxSeconds: 2_592_000 } as const;

import { randomBytes } from 'node:crypto';
import type { PayMerchantSecrets } from '../../modules/paymerchants/service.ts';
import { aeadEncrypt } from './aead.ts';
import type { NotifyRequest } from './notify-post.ts';
import { rfc3339Cst } from './routes-v3-certificates.ts';
import { signResponse } from './v3auth.ts';
import { platformSerialFor } from './v3-scope.ts';

export interface V3Event {
  id: string;
  createTime: Date;
  eventType: string;
  summary: string;
  /** `original_type` and the AEAD associated data: 'transaction' or 'refund'. */
  originalType: string;
  resource: unknown;
}

/** HTTP 200 or 204 stops the retries of a v3 notification. */
export const v3Accepted = (status: number) => status === 200 || status === 204;

/**
 * A v3 notification to `url`: the resource AEAD-encrypted under the merchant's APIv3 key, the body signed
 * with `key` (its newest platform key) in the `Wechatpay-*` headers.
 */
export function v3NotificationRequest(m: PayMerchantSecrets, key: PayMerchantSecrets['platformKeys'][number], url: string, e: V3Event): NotifyRequest {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const body = JSON.stringify({
    id: e.id,
    create_time: rfc3339Cst(e.createTime),
    resource_type: 'encrypt-resource',
    event_type: e.eventType,
    summary: e.summary,
    resource: {
      original_type: e.originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: aeadEncrypt(JSON.stringify(e.resource), m.merchant.api_v3_key, nonce, e.originalType),
      associated_data: e.originalType,
      nonce,
    },
  });
  const sig = signResponse(body, key.private_key);
  const headers = {
    'content-type': 'application/json',
    'wechatpay-timestamp': sig.timestamp,
    'wechatpay-nonce': sig.nonce,
    'wechatpay-signature': sig.signature,
    'wechatpay-serial': platformSerialFor(m, key),
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
  return { method: 'POST', url, headers, body };
}

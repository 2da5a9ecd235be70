import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { aeadEncrypt } from './aead.ts';
import { v3Merchant } from './v3-scope.ts';
import { CST_OFFSET_MS } from '../../platform/time.ts';

/** `2026-11-26T18:46:26+08:00`: WeChat's RFC 3339 times in China Standard Time. */
export function rfc3339Cst(d: Date): string {
  return `${new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

const aeadNonce = () => randomBytes(9).toString('base64url').slice(0, 12);

/** `GET /v3/certificates`: the merchant's active platform certificates, encrypted under its APIv3 key. */
export function certificateRoutes(scope: FastifyInstance, _platform: Platform): void {
  scope.get('/certificates', async (req, reply) => {
    const m = v3Merchant(req);
    const data = m.platformKeys.map((k) => {
      const nonce = aeadNonce();
      return {
        serial_no: k.serial,
        effective_time: rfc3339Cst(k.not_before),
        expire_time: rfc3339Cst(k.not_after),
        encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: 'certificate', ciphertext: aeadEncrypt(k.certificate, m.merchant.api_v3_key, nonce, 'certificate') },
      };
    });
    return reply.status(200).type('application/json; charset=utf-8').send(JSON.stringify({ data }));
  });
}

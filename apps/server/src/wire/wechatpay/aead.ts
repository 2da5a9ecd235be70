import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AEAD_AES_256_GCM as WeChat Pay v3 uses it (certificates, notification resources):
 * key = the 32 ASCII bytes of the APIv3 key, IV = the UTF-8 bytes of the 12-character nonce,
 * AAD = associated_data, ciphertext = base64(ct ‖ 16-byte tag).
 */
const TAG_BYTES = 16;

function keyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

export function aeadEncrypt(plaintext: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', keyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([ct, cipher.getAuthTag()]).toString('base64');
}

export function aeadDecrypt(ciphertext: string, apiV3Key: string, nonce: string, associatedData: string): string {
  const raw = Buffer.from(ciphertext, 'base64');
  if (raw.length < TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(0, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}

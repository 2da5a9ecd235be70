import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
// tsyringe, under @peculiar/x509, needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/** RSA 2048 key pairs and X.509 certificates for merchants (API certificate) and the platform. */
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export interface IssuedKey {
  /** Upper-case hex, no leading `00`: exactly what `/v3/certificates` and `Wechatpay-Serial` carry. */
  serial: string;
  privateKeyPem: string;
  publicKeyPem: string;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
}

/** 20 random bytes with the top bit clear (a positive DER integer, so no `00` prefix), upper hex. */
function newSerial(): string {
  const b = randomBytes(20);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x10;
  return b.toString('hex').toUpperCase();
}

export async function issueKey(subject: string, validDays: number, now: Date = new Date()): Promise<IssuedKey> {
  const keys = (await webcrypto.subtle.generateKey({ ...ALG, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const serial = newSerial();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + validDays * 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: subject,
    notBefore,
    notAfter,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return {
    serial,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    certificatePem: cert.toString('pem'),
    notBefore,
    notAfter,
  };
}

/** A platform public key id as WeChat prints it: `PUB_KEY_ID_` + digits. */
export function newPublicKeyId(mchId: string): string {
  const digits = Array.from(randomBytes(16), (b) => String(b % 10)).join('');
  return `PUB_KEY_ID_01${mchId}${digits}`;
}

import { createPublicKey, randomInt, X509Certificate } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../../platform/database.ts';
import { requireOrg, type RequestContext } from '../../platform/context.ts';
import { requirePermission } from '../../platform/permissions.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, randomString } from '../../platform/ids.ts';
import { issueKey, newPublicKeyId } from '../../wire/wechatpay/certs.ts';
import type { PayMerchantsTable, PayPlatformKeysTable, VerifyMode } from './tables.ts';
import './tables.ts';

export type PayMerchantRow = Selectable<PayMerchantsTable>;
export type PlatformKeyRow = Selectable<PayPlatformKeysTable>;

/** Everything the v3/v2 wire needs to authenticate and sign for one merchant (internal only). */
export interface PayMerchantSecrets {
  merchant: PayMerchantRow;
  /** Active platform keys, newest first; the first one signs. */
  platformKeys: PlatformKeyRow[];
}

export interface PlatformKeyView {
  serial: string;
  publicKeyId: string;
  certificate: string;
  notBefore: string;
  notAfter: string;
}

export interface PayMerchantView {
  mchId: string;
  appid: string;
  merchantCertSerial: string;
  verifyMode: VerifyMode;
  platformKeys: PlatformKeyView[];
}

/** Returned once, at creation: the merchant must store these (the private key is not kept). */
export interface PayMerchantCredentials extends PayMerchantView {
  apiV2Key: string;
  apiV3Key: string;
  merchantPrivateKey: string;
  merchantCertificate: string;
}

interface AccountLookup {
  findByAppId(appid: string): Promise<{ org_id: string; appid: string } | undefined>;
  list(ctx: RequestContext): Promise<readonly { appid: string; type: string }[]>;
}

const NONCE_TTL_MS = 10 * 60_000;
const CERT_DAYS = 5 * 365;
const API_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const present = (m: PayMerchantRow, keys: readonly PlatformKeyRow[]): PayMerchantView => ({
  mchId: m.mch_id,
  appid: m.appid,
  merchantCertSerial: m.merchant_cert_serial,
  verifyMode: m.verify_mode,
  platformKeys: keys.map((k) => ({ serial: k.serial, publicKeyId: k.public_key_id, certificate: k.certificate, notBefore: k.not_before.toISOString(), notAfter: k.not_after.toISOString() })),
});

async function newPlatformKey(mchId: string): Promise<Omit<PlatformKeyRow, 'active' | 'created_at'>> {
  const k = await issueKey(`C=CN, O=Lianjie Pay, OU=Lianjie Pay Platform, CN=Lianjie Pay Platform ${mchId}`, CERT_DAYS);
  return { id: newId('ppk'), mch_id: mchId, serial: k.serial, public_key_id: newPublicKeyId(mchId), private_key: k.privateKeyPem, certificate: k.certificatePem, not_before: k.notBefore, not_after: k.notAfter };
}

/** Validates a merchant's own certificate or RSA public key (PEM, RSA ≥ 2048 bits) and names its serial. */
function ownKey(input: { certificate?: string | undefined; publicKey?: string | undefined; serial?: string | undefined }): { publicKeyPem: string; serial: string } {
  const bad = (message: string) => new AppError('invalid_argument', message, { details: { reason: 'BAD_MERCHANT_KEY' } });
  if ((input.certificate === undefined) === (input.publicKey === undefined)) throw bad('give either a certificate or a public key');
  let key: ReturnType<typeof createPublicKey>;
  let serial: string;
  try {
    if (input.certificate !== undefined) {
      const cert = new X509Certificate(input.certificate);
      if (cert.validTo && new Date(cert.validTo) <= new Date()) throw bad('the certificate has expired');
      key = cert.publicKey;
      serial = cert.serialNumber.toUpperCase().replace(/^(00)+/, '');
    } else {
      key = createPublicKey(input.publicKey ?? '');
      serial = (input.serial ?? '').toUpperCase().replace(/^(00)+/, '');
      if (!/^[0-9A-F]{8,40}$/.test(serial)) throw bad('a public key needs the serial (8–40 hex digits) your requests will name in serial_no');
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw bad('not a PEM certificate or public key');
  }
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw bad('the key must be RSA with at least 2048 bits');
  return { publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(), serial };
}

export function createPayMerchantsService(deps: { db: Db; accounts: AccountLookup }) {
  const { db, accounts } = deps;

  const activeKeys = (mchId: string) =>
    db.selectFrom('pay_platform_keys').selectAll().where('mch_id', '=', mchId).where('active', '=', true).where('not_after', '>', new Date()).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();

  async function ownMerchant(ctx: RequestContext): Promise<PayMerchantRow> {
    const orgId = requireOrg(ctx);
    const row = await db.selectFrom('pay_merchants').selectAll().where('org_id', '=', orgId).executeTakeFirst();
    if (!row) throw notFound('pay merchant account');
    return row;
  }

  async function chooseAppId(ctx: RequestContext, orgId: string, appid: string | undefined): Promise<string> {
    if (appid !== undefined) {
      const account = await accounts.findByAppId(appid);
      if (!account || account.org_id !== orgId) throw new AppError('not_found', 'official account not found', { wxErrcode: 40013 });
      return account.appid;
    }
    const own = await accounts.list(ctx);
    const first = own.find((a) => a.type === 'service') ?? own[0];
    if (!first) throw new AppError('failed_precondition', 'create an official account before the pay account');
    return first.appid;
  }

  return {
    /** Opens the organisation's pay account (one per org) with fresh keys; the only time secrets are shown. */
    async create(ctx: RequestContext, input: { appid?: string | undefined } = {}): Promise<PayMerchantCredentials> {
      const orgId = requirePermission(ctx, 'pay.keys');
      const appid = await chooseAppId(ctx, orgId, input.appid);
      const existing = await db.selectFrom('pay_merchants').select('mch_id').where('org_id', '=', orgId).executeTakeFirst();
      if (existing) throw new AppError('conflict', 'this organisation already has a pay account');
      const mchId = `1${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
      const merchantKey = await issueKey(`C=CN, O=Lianjie Merchant ${mchId}, OU=Lianjie Pay, CN=${mchId}`, CERT_DAYS);
      const platformKey = await newPlatformKey(mchId);
      const row = {
        mch_id: mchId,
        org_id: orgId,
        appid,
        api_v2_key: randomString(32, API_KEY_ALPHABET),
        api_v3_key: randomString(32, API_KEY_ALPHABET),
        merchant_public_key: merchantKey.publicKeyPem,
        merchant_cert_serial: merchantKey.serial,
      };
      const inserted = await db.transaction().execute(async (tx) => {
        const m = await tx.insertInto('pay_merchants').values(row).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
        if (!m) return undefined;
        const k = await tx.insertInto('pay_platform_keys').values(platformKey).returningAll().executeTakeFirstOrThrow();
        return { m, k };
      });
      if (!inserted) throw new AppError('conflict', 'this organisation already has a pay account');
      return {
        ...present(inserted.m, [inserted.k]),
        apiV2Key: row.api_v2_key,
        apiV3Key: row.api_v3_key,
        merchantPrivateKey: merchantKey.privateKeyPem,
        merchantCertificate: merchantKey.certificatePem,
      };
    },

    async get(ctx: RequestContext): Promise<PayMerchantView> {
      requirePermission(ctx, 'pay.read');
      const m = await ownMerchant(ctx);
      return present(m, await activeKeys(m.mch_id));
    },

    /** Adds a new platform key; the previous one stays valid (served and accepted) for the overlap. Older ones retire. */
    async rotatePlatformKey(ctx: RequestContext): Promise<PayMerchantView> {
      requirePermission(ctx, 'pay.keys');
      const m = await ownMerchant(ctx);
      const fresh = await newPlatformKey(m.mch_id);
      await db.transaction().execute(async (tx) => {
        const keep = await tx.selectFrom('pay_platform_keys').select('id').where('mch_id', '=', m.mch_id).where('active', '=', true).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
        await tx.updateTable('pay_platform_keys').set({ active: false }).where('mch_id', '=', m.mch_id).where('id', '!=', keep?.id ?? '').execute();
        await tx.insertInto('pay_platform_keys').values(fresh).execute();
      });
      return present(m, await activeKeys(m.mch_id));
    },

    /** Ends the overlap: only the newest platform key stays active. */
    async retireOldPlatformKeys(ctx: RequestContext): Promise<PayMerchantView> {
      requirePermission(ctx, 'pay.keys');
      const m = await ownMerchant(ctx);
      const [newest] = await activeKeys(m.mch_id);
      if (newest) await db.updateTable('pay_platform_keys').set({ active: false }).where('mch_id', '=', m.mch_id).where('id', '!=', newest.id).execute();
      return present(m, await activeKeys(m.mch_id));
    },

    async setVerifyMode(ctx: RequestContext, mode: VerifyMode): Promise<PayMerchantView> {
      requirePermission(ctx, 'pay.keys');
      if (mode !== 'certificate' && mode !== 'public_key') throw new AppError('invalid_argument', 'verify mode must be certificate or public_key');
      const m = await ownMerchant(ctx);
      const updated = await db.updateTable('pay_merchants').set({ verify_mode: mode }).where('mch_id', '=', m.mch_id).returningAll().executeTakeFirstOrThrow();
      return present(updated, await activeKeys(m.mch_id));
    },

    /**
     * The merchant brings its own API key pair: an X.509 certificate (its serial becomes the one requests
     * name in `serial_no`) or a bare RSA public key with the serial the merchant will send. Requests signed
     * with the previous key stop verifying at once.
     */
    async useOwnMerchantKey(ctx: RequestContext, input: { certificate?: string | undefined; publicKey?: string | undefined; serial?: string | undefined }): Promise<PayMerchantView> {
      requirePermission(ctx, 'pay.keys');
      const m = await ownMerchant(ctx);
      const { publicKeyPem, serial } = ownKey(input);
      const updated = await db.updateTable('pay_merchants').set({ merchant_public_key: publicKeyPem, merchant_cert_serial: serial }).where('mch_id', '=', m.mch_id).returningAll().executeTakeFirstOrThrow();
      return present(updated, await activeKeys(m.mch_id));
    },

    /** A new API v2 key or APIv3 key, shown once; the old one stops working at once. */
    async resetApiKey(ctx: RequestContext, which: 'v2' | 'v3'): Promise<{ key: string }> {
      requirePermission(ctx, 'pay.keys');
      const m = await ownMerchant(ctx);
      const key = randomString(32, API_KEY_ALPHABET);
      await db.updateTable('pay_merchants').set(which === 'v2' ? { api_v2_key: key } : { api_v3_key: key }).where('mch_id', '=', m.mch_id).execute();
      return { key };
    },

    /** Internal (wire adapters): the merchant with its secrets and active platform keys. */
    async byMchId(mchId: string): Promise<PayMerchantSecrets | undefined> {
      if (!/^\d{10}$/.test(mchId)) return undefined;
      const merchant = await db.selectFrom('pay_merchants').selectAll().where('mch_id', '=', mchId).executeTakeFirst();
      if (!merchant) return undefined;
      return { merchant, platformKeys: await activeKeys(mchId) };
    },

    /** Records a v3 request nonce; false when it was already used within the last 10 minutes. */
    async claimNonce(mchId: string, nonce: string): Promise<boolean> {
      const now = new Date();
      await db.deleteFrom('pay_v3_nonces').where('mch_id', '=', mchId).where('nonce', '=', nonce).where('expires_at', '<=', now).execute();
      const row = await db
        .insertInto('pay_v3_nonces')
        .values({ mch_id: mchId, nonce, expires_at: new Date(now.getTime() + NONCE_TTL_MS) })
        .onConflict((oc) => oc.columns(['mch_id', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst();
      if (Math.random() < 0.01) await db.deleteFrom('pay_v3_nonces').where('expires_at', '<=', now).execute();
      return row !== undefined;
    },
  };
}

export type PayMerchantsService = ReturnType<typeof createPayMerchantsService>;

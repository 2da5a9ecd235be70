import type { DbOrTx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import '../identity/tables.ts';

/**
 * Refuses taking payments for an organisation an operator has not approved (pending review) or has
 * suspended. One error for every protocol: the v3 wire answers `{code:'NO_AUTH', message}`, the v2
 * wire `err_code NOAUTH` (V2_ERR_CODE maps NO_AUTH), our JSON API `403 {error:{code:'permission_denied',
 * details:{reason:'ORG_NOT_APPROVED'}}}`.
 */
export async function requireOrgApproved(db: DbOrTx, orgId: string): Promise<void> {
  const org = await db.selectFrom('organizations').select('status').where('id', '=', orgId).executeTakeFirst();
  if (org?.status === 'approved') return;
  const why = org?.status === 'suspended' ? '商户已被平台暂停 (organisation suspended by the platform operator)' : '商户尚未通过平台审核 (organisation not yet approved by the platform operator)';
  throw new AppError('permission_denied', why, { details: { v3Code: 'NO_AUTH', reason: 'ORG_NOT_APPROVED', orgStatus: org?.status ?? 'unknown' } });
}

import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../app.ts';
import { isAppError } from '../../platform/errors.ts';
import { BILL_TYPES, type BillType } from '../../modules/bills/service.ts';
import { parseV2Date } from './routes-v2-orders.ts';
import { V2Error, v2Route } from './v2-scope.ts';

const isBillType = (s: string): s is BillType => (BILL_TYPES as readonly string[]).includes(s);

/**
 * `/pay/downloadbill`: the trade bill of a CST day as plain text (gzip with tar_type=GZIP). Failures
 * are WeChat's unsigned XML: return_code FAIL, return_msg (e.g. `No Bill Exist`) and error_code.
 */
export function billRoutesV2(scope: FastifyInstance, platform: Platform): void {
  const { bills } = platform.services;

  v2Route(scope, '/pay/downloadbill', async ({ fields, merchant, ctx }) => {
    const date = parseV2Date(fields.bill_date ?? '');
    if (!date) throw new V2Error('invalid bill_date', { error_code: '20001' });
    const type = fields.bill_type || 'ALL';
    if (!isBillType(type)) throw new V2Error('invalid bill_type', { error_code: '20001' });
    if (fields.tar_type !== undefined && fields.tar_type !== 'GZIP') throw new V2Error('invalid tar_type', { error_code: '20001' });
    let text: string;
    try {
      text = await bills.tradeBill(ctx, merchant.merchant, { date, type });
    } catch (err) {
      if (isAppError(err) && err.details?.v3Code === 'NO_STATEMENT_EXIST') throw new V2Error('No Bill Exist', { error_code: '20002' });
      if (isAppError(err) && err.code === 'invalid_argument') throw new V2Error(err.message, { error_code: '20001' });
      throw err;
    }
    return fields.tar_type === 'GZIP' ? { v2Raw: true, body: gzipSync(Buffer.from(text, 'utf8')), contentType: 'application/x-gzip' } : { v2Raw: true, body: text, contentType: 'text/plain; charset=utf-8' };
  });
}

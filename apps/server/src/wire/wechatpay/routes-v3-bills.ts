import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { isAppError } from '../../platform/errors.ts';
import { V3Error, v3MerchantContext } from './v3-scope.ts';

const TradeBillQuery = z.object({
  bill_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'bill_date 格式为 yyyy-MM-dd'),
  bill_type: z.enum(['ALL', 'SUCCESS', 'REFUND']).default('ALL'),
  tar_type: z.literal('', { message: 'tar_type 暂只支持不压缩（不传）' }).optional(),
});
const DownloadQuery = z.object({ token: z.string().min(1).max(64) });


/**
 * `GET /v3/bill/tradebill` → `{hash_type, hash_value, download_url}`; `GET /v3/billdownload/file?token=`
 * → the bill's bytes (the SHA1 of which is `hash_value`). The token works for the merchant it was
 * issued to, for a few minutes. A day with nothing is 400 NO_STATEMENT_EXIST, as WeChat answers.
 */
export function billRoutes(scope: FastifyInstance, platform: Platform): void {
  const { bills } = platform.services;

  scope.get('/bill/tradebill', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    const q = TradeBillQuery.parse(req.query);
    try {
      const { token, sha1 } = await bills.prepareDownload(ctx, m.merchant, { date: q.bill_date, type: q.bill_type });
      const body = { hash_type: 'SHA1', hash_value: sha1, download_url: `${platform.config.publicUrl}/v3/billdownload/file?token=${token}` };
      return await reply.status(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
    } catch (err) {
      if (isAppError(err) && err.details?.v3Code === 'NO_STATEMENT_EXIST') throw new V3Error(400, 'NO_STATEMENT_EXIST', err.message);
      throw err;
    }
  });

  scope.get('/billdownload/file', async (req, reply) => {
    const { ctx, m } = await v3MerchantContext(platform, req);
    const content = await bills.download(ctx, m.merchant, DownloadQuery.parse(req.query).token);
    return reply.status(200).type('text/plain; charset=utf-8').send(Buffer.from(content, 'utf8'));
  });
}

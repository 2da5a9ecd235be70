import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { api, ErrorBody, Ok } from '../../platform/api.ts';
import { contextFor } from '../../platform/http.ts';
import type { InsuranceCardView } from './service.ts';

const Card = z.object({ id: z.string(), insurer: z.string(), cardNoLast4: z.string(), holderName: z.string(), createdAt: z.string() });
const present = (c: InsuranceCardView) => ({ ...c, createdAt: c.createdAt.toISOString() });

/** The consumer's insurance cards: an insured order (e.g. a hospital bill) needs its payer to have one bound. */
export function insuranceRoutes(app: FastifyInstance, platform: Platform): void {
  const r = api(app);
  const { insurance, identity } = platform.services;
  const consumer = (req: Parameters<typeof contextFor>[1]) => contextFor(identity, req, 'consumer');
  const tags = ['insurance'];

  r.post('/api/v1/insurance/cards', {
    schema: {
      tags,
      summary: 'Bind an insurance card (only its last four characters are shown again)',
      body: z.object({ insurer: z.string().min(1).max(64), cardNo: z.string().min(8).max(40).describe('8–24 digits or capital letters; spaces and dashes ignored'), holderName: z.string().min(1).max(64) }),
      response: { 201: Card, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 412: ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(present(await insurance.bind(await consumer(req), req.body))));

  r.get('/api/v1/insurance/cards', { schema: { tags, summary: 'The consumer’s insurance cards', response: { 200: z.array(Card), 401: ErrorBody } } }, async (req) =>
    (await insurance.list(await consumer(req))).map(present),
  );

  r.delete('/api/v1/insurance/cards/:id', {
    schema: { tags, summary: 'Unbind one of the consumer’s cards', params: z.object({ id: z.string().min(1).max(64) }), response: { 200: Ok, 401: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    await insurance.remove(await consumer(req), req.params.id);
    return { ok: true as const };
  });
}

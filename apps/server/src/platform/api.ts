import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';


export const api = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
export const Ok = z.object({ ok: z.literal(true) });

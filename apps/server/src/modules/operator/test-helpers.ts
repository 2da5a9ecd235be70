import assert from 'node:assert/strict';
import type { TestEnv } from '../../testing/harness.ts';

/** Bootstraps an operator and signs it in; headers for our JSON API's operator routes. */
export async function operatorHeaders(e: TestEnv): Promise<Record<string, string>> {
  await e.platform.services.identity.bootstrapOperator('ops@lianjie.test', 'operator-pass-1');
  const res = await e.app.inject({ method: 'POST', url: '/api/v1/operator/signin', payload: { email: 'ops@lianjie.test', password: 'operator-pass-1' } });
  assert.equal(res.statusCode, 200, res.body);
  return { authorization: `Bearer ${(res.json() as { token: string }).token}`, 'x-lianjie-session-kind': 'operator' };
}

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { generateOpenApi } from './testing/openapi.ts';

it('docs/openapi.json is what the code generates (run `npm run openapi` and review the diff)', async () => {
  const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
  const generated = await generateOpenApi();
  assert.equal(committed, generated);
  const doc = JSON.parse(generated) as { paths: Record<string, unknown> };
  assert.ok(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/')), 'only our JSON API is documented');
  assert.ok(doc.paths['/api/v1/threads/{id}/messages'], 'the consumer thread API is documented');
});

/**
 * Writes docs/openapi.json from the zod schemas of our JSON API (`npm run openapi`).
 * A test fails when the committed file differs from what the code generates.
 */
import { writeFileSync } from 'node:fs';
import { generateOpenApi } from '../apps/server/src/testing/openapi.ts';

const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, await generateOpenApi());
console.log(`wrote ${target.pathname}`);

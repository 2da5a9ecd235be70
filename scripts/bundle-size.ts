/**
 * The consumer client's initial download: every script and stylesheet index.html loads before the
 * app runs (entry, modulepreloads, CSS), gzip-compressed; lazily loaded chunks listed apart.
 * `node scripts/bundle-size.ts` prints it; apps/client/tests/bundle-size.test.ts holds the budget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const CLIENT_DIST = fileURLToPath(new URL('../apps/client/dist/', import.meta.url));

export interface BundleReport {
  initial: { file: string; bytes: number; gzip: number }[];
  lazy: { file: string; bytes: number; gzip: number }[];
  initialJsGzip: number;
  initialGzip: number;
}

export function bundleReport(dist = CLIENT_DIST): BundleReport {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const referenced = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] as string));
  const measure = (file: string) => {
    const buf = readFileSync(path.join(dist, file));
    return { file, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const all = readdirSync(path.join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `assets/${f}`);
  const initial = all.filter((f) => referenced.has(f)).map(measure);
  const lazy = all.filter((f) => !referenced.has(f)).map(measure);
  const sum = (xs: { gzip: number }[]) => xs.reduce((n, x) => n + x.gzip, 0);
  return { initial, lazy, initialJsGzip: sum(initial.filter((x) => x.file.endsWith('.js'))), initialGzip: sum(initial) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = bundleReport();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log('consumer client — initial download (gzip):');
  for (const x of r.initial) console.log(`  ${x.file.padEnd(40)} ${kb(x.bytes).padStart(10)}  gzip ${kb(x.gzip)}`);
  console.log(`  initial JS: ${kb(r.initialJsGzip)} gzip (budget 150 KB); with CSS: ${kb(r.initialGzip)}`);
  console.log('loaded on demand:');
  for (const x of r.lazy) console.log(`  ${x.file.padEnd(40)} ${kb(x.bytes).padStart(10)}  gzip ${kb(x.gzip)}`);
}

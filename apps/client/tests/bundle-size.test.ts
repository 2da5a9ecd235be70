import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bundleReport } from '../../../scripts/bundle-size.ts';

it('the client loads at most 150 KB of gzipped JS before it runs; the QR decoder is split out', () => {
  const r = bundleReport();
  assert.ok(r.initialJsGzip <= 150 * 1024, `initial JS is ${(r.initialJsGzip / 1024).toFixed(1)} KB gzip`);
  assert.ok(r.initial.every((x) => !/jsQR/i.test(x.file)), 'jsQR is not in the initial download');
  assert.ok(r.lazy.some((x) => /jsQR/i.test(x.file)), 'jsQR is a chunk of its own');
});

import { Agent, request } from 'node:http';

/** Latency summary in milliseconds. */
export interface LatencyStats {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface RunResult {
  requests: number;
  concurrency: number;
  seconds: number;
  /** Completed operations per second. */
  throughput: number;
  latency: LatencyStats;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

export function summarize(values: readonly number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

/**
 * Closed loop: `concurrency` lanes, each running one operation after another until `requests`
 * operations are done. `op(lane, seq)` resolves to its own latency in ms.
 */
export async function closedLoop(requests: number, concurrency: number, op: (lane: number, seq: number) => Promise<number>): Promise<RunResult> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (next < requests) {
        const seq = next++;
        latencies.push(await op(lane, seq));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests, concurrency, seconds, throughput: requests / seconds, latency: summarize(latencies) };
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** A minimal keep-alive HTTP client (the same one drives the bare route and the relay). */
export function httpClient(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post(url: string, body: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}

import type { HttpClient } from '../../platform/http-client.ts';
import type { DeliveryOutcome } from '../../platform/outbox.ts';

/** How long a merchant's notify_url has to answer a Pay notification. */
export const NOTIFY_TIMEOUT_MS = 5_000;

export interface NotifyRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs a Pay notification (v2 XML or v3 JSON) with the notify timeout and maps the answer to an outbox
 * outcome: `accepted` decides whether it stops the retries; a refused HTTP 200 is reported as `refusal`.
 */
export async function postNotification(send: HttpClient, request: NotifyRequest, accepted: (status: number, body: string) => boolean, refusal = 'merchant did not answer SUCCESS'): Promise<DeliveryOutcome> {
  try {
    const res = await send({ ...request, timeoutMs: NOTIFY_TIMEOUT_MS });
    const ok = accepted(res.status, res.body);
    return { ok, request, responseStatus: res.status, responseBody: res.body, ...(ok ? {} : { error: res.status === 200 ? refusal : `HTTP ${res.status}` }) };
  } catch (err) {
    return { ok: false, request, error: err instanceof Error ? err.message : String(err) };
  }
}

import { useEffect, useRef, useState } from 'react';
import { Card } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import type { BroadcastApi, Report } from './api.ts';
import { strings } from './strings.ts';

const POLL_MS = 700;

/** Sent, failed and skipped counts of a report (skipped = blocked + unfollowed + monthly limit + withdrawn). */
export function ReportStats({ r }: { r: Report }) {
  const s = useStrings(strings);
  const items: [string, number][] = [
    [s('total'), r.total],
    [s('sent'), r.sent],
    [s('failed'), r.failed],
    [s('blocked'), r.blocked],
    [s('unsubscribed'), r.unsubscribed],
    [s('monthlyLimit'), r.monthlyLimit],
  ];
  return (
    <dl className="stats">
      {items.map(([label, n]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Polls a broadcast job until it is done: a progress bar from its recipient rows, then the final report. */
export function Progress({ bapi, initial, onDone }: { bapi: BroadcastApi; initial: Report; onDone: (r: Report) => void }) {
  const s = useStrings(strings);
  const [r, setR] = useState(initial);
  const [error, setError] = useState<string>();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  useEffect(() => {
    if (r.done) {
      onDone(r);
      return;
    }
    const timer = setTimeout(() => {
      bapi.report(r.msgId).then(
        (next) => (setR(next), setError(undefined)),
        (e: unknown) => (setError(errorText(e)), setR({ ...r })),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
    // onDone runs once, when the job turns done (r no longer changes after that).
  }, [r, bapi]);
  const processed = r.sent + r.failed + r.filtered;
  const skipped = r.filtered;
  return (
    <Card title={r.done ? s('reportTitle') : s('progressTitle')}>
      <div ref={box} data-testid="broadcast-progress" data-done={r.done ? 'true' : 'false'}>
        {r.summary ? <p className="muted" style={{ marginTop: 0 }}>{r.summary}</p> : null}
        <progress aria-label={s('progressLabel')} max={Math.max(r.total, 1)} value={r.done ? Math.max(r.total, 1) : processed} style={{ width: '100%', height: 14 }} />
        <p role="status" aria-live="polite">
          {r.done
            ? s('doneText', { sent: r.sent, failed: r.failed, skipped, blocked: r.blocked })
            : r.total === 0 && r.pending === 0
              ? s('expanding')
              : s('progressText', { done: processed, total: r.total })}
        </p>
        {error ? <p role="alert">{error}</p> : null}
        <ReportStats r={r} />
      </div>
    </Card>
  );
}

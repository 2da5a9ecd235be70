import { useStrings } from '../../lib/i18n.ts';
import { strings } from './strings.ts';

/** Three bars (scans, follows, paid orders) scaled to `max`: where a code loses people, at a glance. */
export function Funnel({ name, scans, follows, paid, max }: { name: string; scans: number; follows: number; paid: number; max: number }) {
  const s = useStrings(strings);
  const pct = (n: number) => (max > 0 ? Math.max(n > 0 ? 3 : 0, Math.round((n / max) * 100)) : 0);
  const rate = (n: number) => (scans > 0 ? s('rate', { p: Math.round((n / scans) * 100) }) : '');
  const bars: [string, number, string][] = [
    [s('scans'), scans, 'funnel-scans'],
    [s('follows'), follows, 'funnel-follows'],
    [s('paid'), paid, 'funnel-paid'],
  ];
  return (
    <div className="funnel" role="img" aria-label={s('chartLabel', { name, scans, follows, paid })}>
      {bars.map(([label, n, cls], i) => (
        <div key={cls} className="funnel-row" title={i > 0 ? `${label}: ${n} · ${rate(n)}` : `${label}: ${n}`}>
          <span className="funnel-label" aria-hidden="true">{label}</span>
          <span className="funnel-track" aria-hidden="true">
            <span className={`funnel-bar ${cls}`} style={{ width: `${pct(n)}%` }} />
          </span>
          <span className="funnel-n" aria-hidden="true">{n}</span>
        </div>
      ))}
    </div>
  );
}

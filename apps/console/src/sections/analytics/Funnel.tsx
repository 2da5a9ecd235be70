import { useMemo } from 'react';
import { useStrings } from '../../lib/i18n.ts';
import { pct, type Charts, type FunnelStep } from './api.ts';
import { Chart } from './Chart.tsx';
import { ChartCard } from './ChartCard.tsx';
import { funnel } from './options.ts';
import { strings } from './strings.ts';

const STEPS = ['scans', 'follows', 'orders', 'paid'] as const;

/** The step where the smallest share continues (the biggest loss), if any step had people. */
function biggestDrop(f: FunnelStep): { from: (typeof STEPS)[number]; to: (typeof STEPS)[number]; share: string } | undefined {
  let worst: { i: number; ratio: number } | undefined;
  for (let i = 0; i < STEPS.length - 1; i++) {
    const a = f[STEPS[i] ?? 'scans'];
    if (a === 0) continue;
    const ratio = f[STEPS[i + 1] ?? 'paid'] / a;
    if (!worst || ratio < worst.ratio) worst = { i, ratio };
  }
  if (!worst) return undefined;
  const from = STEPS[worst.i] ?? 'scans';
  const to = STEPS[worst.i + 1] ?? 'paid';
  return { from, to, share: pct(f[from], f[to]) };
}

/** QR scans → follows → orders → paid, overall (a funnel chart) and per code (a table with step percentages). */
export function FunnelCard({ data, range }: { data: Charts; range: string }) {
  const s = useStrings(strings);
  const o = data.funnel.overall;
  const option = useMemo(() => funnel(STEPS.map((k) => ({ name: s(k), value: o[k] }))), [o, s]);
  const drop = biggestDrop(o);
  const rows = [{ scene: '', name: s('overall'), ...o }, ...data.funnel.scenes.map((x) => ({ ...x, name: x.name ?? x.scene }))];
  const cells = (r: FunnelStep) => STEPS.flatMap((k, i) => (i === 0 ? [r[k]] : [r[k], pct(r[STEPS[i - 1] ?? 'scans'], r[k])]));
  return (
    <ChartCard
      title={s('funnelTitle')}
      empty={o.scans === 0 && data.funnel.scenes.length === 0}
      emptyText={s('funnelEmpty')}
      csv={{ filename: `qr-funnel-${range}.csv`, header: [s('scene'), s('scans'), s('follows'), `${s('scans')}→${s('follows')}`, s('orders'), `${s('follows')}→${s('orders')}`, s('paid'), `${s('orders')}→${s('paid')}`], rows: rows.map((r) => [r.name, ...cells(r)]) }}
    >
      <p className="muted">{s('funnelHint')}</p>
      <Chart option={option} label={s('chartOf', { chart: s('funnelTitle'), from: data.from, to: data.to })} height={220} />
      {drop ? <p className="an-drop" data-testid="funnel-drop">{s('biggestDrop', { a: s(drop.from), b: s(drop.to), p: drop.share })}</p> : null}
      <div className="an-scroll">
        <table className="an-funnel-table" aria-label={s('funnelTitle')}>
          <thead>
            <tr>
              <th scope="col">{s('scene')}</th>
              {STEPS.map((k) => <th key={k} scope="col">{s(k)}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.scene || '*'}>
                <th scope="row">{r.name}</th>
                {STEPS.map((k, i) => (
                  <td key={k}>
                    {r[k]}
                    {i > 0 ? <span className="muted"> ({pct(r[STEPS[i - 1] ?? 'scans'], r[k])})</span> : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}

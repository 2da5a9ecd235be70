import { useId } from 'react';
import { common, useStrings } from '../lib/i18n.ts';

/** Inclusive days as `YYYY-MM-DD` (China Standard Time, like the APIs' dates). */
export interface DateRangeValue {
  from: string;
  to: string;
}

/** Today in CST as YYYY-MM-DD, shifted by `days`. */
export function cstDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last `n` days up to today (CST). */
export const lastDays = (n: number): DateRangeValue => ({ from: cstDay(-(n - 1)), to: cstDay() });

/** Two date inputs and quick presets (7 / 30 / 90 days); `from` is never after `to`. */
export function DateRange({ value, onChange, presets = [7, 30, 90] }: { value: DateRangeValue; onChange: (v: DateRangeValue) => void; presets?: readonly number[] }) {
  const t = useStrings(common);
  const id = useId();
  return (
    <div className="date-range" role="group" aria-label={`${t('from')} – ${t('to')}`}>
      <label htmlFor={`${id}-from`}>{t('from')}</label>
      <input id={`${id}-from`} type="date" value={value.from} max={value.to} onChange={(e) => e.target.value && onChange({ from: e.target.value, to: value.to < e.target.value ? e.target.value : value.to })} />
      <label htmlFor={`${id}-to`}>{t('to')}</label>
      <input id={`${id}-to`} type="date" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ from: value.from > e.target.value ? e.target.value : value.from, to: e.target.value })} />
      {presets.map((n) => (
        <button key={n} type="button" className="chip" onClick={() => onChange(lastDays(n))}>
          {n}d
        </button>
      ))}
    </div>
  );
}

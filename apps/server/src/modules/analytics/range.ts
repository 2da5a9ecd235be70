import { AppError } from '../../platform/errors.ts';
import { CST_OFFSET_MS, cstDate } from '../../platform/time.ts';

const DAY_MS = 86_400_000;

/** A validated range of whole CST days, `begin` and `end` inclusive, as day numbers since 1970-01-01. */
export interface DayRange {
  beginDay: number;
  endDay: number;
}

/** The `yyyy-mm-dd` of a day number. */
export const dayToDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The instant a CST day starts (CST midnight = 16:00 UTC the day before). */
export const cstDayStart = (day: number) => new Date(day * DAY_MS - CST_OFFSET_MS);

/** The day number of a strict `yyyy-mm-dd` calendar date, or undefined. */
export function parseDay(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayToDate(ms / DAY_MS) === s ? ms / DAY_MS : undefined;
}

export const dateFormatError = () => new AppError('invalid_argument', 'date format error', { wxErrcode: 61500 });
export const dateRangeError = (why: string) => new AppError('invalid_argument', `date range error: ${why}`, { wxErrcode: 61501 });

/**
 * WeChat's datacube rules: both dates `yyyy-mm-dd` (else 61500), `end ≥ begin`, at most `maxDays`
 * days counting both ends, and data only up to yesterday in CST (else 61501).
 */
export function parseDayRange(beginDate: string, endDate: string, maxDays: number, now: number): DayRange {
  const beginDay = parseDay(beginDate);
  const endDay = parseDay(endDate);
  if (beginDay === undefined || endDay === undefined) throw dateFormatError();
  if (endDay < beginDay) throw dateRangeError('end_date is before begin_date');
  if (endDay - beginDay + 1 > maxDays) throw dateRangeError(`at most ${maxDays} days per call`);
  const today = parseDay(cstDate(now));
  if (today === undefined || endDay >= today) throw dateRangeError('data is available up to yesterday');
  return { beginDay, endDay };
}

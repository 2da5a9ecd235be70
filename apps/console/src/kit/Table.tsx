import type { ReactNode } from 'react';
import { errorText } from '../lib/api.ts';
import { common, useStrings } from '../lib/i18n.ts';
import { Button } from './Button.tsx';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Right-aligned (numbers, money). */
  numeric?: boolean;
}

export interface TableProps<T> {
  columns: readonly Column<T>[];
  /** undefined while the first load runs. */
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  loading?: boolean;
  /** A failed load: shows the API's message and a Retry button calling `onRetry`. */
  error?: unknown;
  onRetry?: () => void;
  /** What an empty table says, and what to do about it (a button or link). */
  empty: { text: ReactNode; action?: ReactNode };
  caption?: string;
}

/** A data table with loading, error-with-retry and empty states. */
export function Table<T>({ columns, rows, rowKey, loading, error, onRetry, empty, caption }: TableProps<T>) {
  const t = useStrings(common);
  if (error) {
    return (
      <div className="table-state error" role="alert">
        <p>{errorText(error)}</p>
        {onRetry ? <Button onClick={onRetry}>{t('retry')}</Button> : null}
      </div>
    );
  }
  if (!rows) {
    return (
      <div className="table-state" role="status">
        <span className="spinner" aria-hidden="true" /> {t('loading')}
      </div>
    );
  }
  if (rows.length === 0) {
    return (
      <div className="table-state empty">
        <p>{empty.text}</p>
        {empty.action}
      </div>
    );
  }
  return (
    <div className="table-wrap" aria-busy={loading || undefined}>
      <table className="table">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

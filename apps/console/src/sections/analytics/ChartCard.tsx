import type { ReactNode } from 'react';
import { Button, Card } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { downloadCsv, toCsv } from './csv.ts';
import { strings } from './strings.ts';

export interface CsvData {
  filename: string;
  header: readonly string[];
  rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** A chart's card: its title, a CSV download of exactly the numbers drawn, and an empty state. */
export function ChartCard({ title, csv, empty, emptyText, children }: { title: string; csv: CsvData; empty: boolean; emptyText: string; children: ReactNode }) {
  const s = useStrings(strings);
  const action = (
    <Button variant="secondary" aria-label={s('csvOf', { chart: title })} disabled={empty} onClick={() => downloadCsv(csv.filename, toCsv(csv.header, csv.rows))}>
      {s('csv')}
    </Button>
  );
  return (
    <Card title={title} actions={action}>
      {empty ? <p className="an-empty">{emptyText}</p> : children}
    </Card>
  );
}

import { useState, type FormEvent } from 'react';
import { Button, Card, SelectField, TextField, cstDay } from '../../kit/index.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { download } from './api.ts';

const strings = defineStrings({
  en: {
    title: 'Trade bills',
    intro: 'The same bill as WeChat Pay’s download bill (v2 downloadbill / v3 tradebill): one line per trade, then totals.',
    day: 'Day (China time)',
    type: 'Which trades',
    ALL: 'All', SUCCESS: 'Payments', REFUND: 'Refunds',
    download: 'Download CSV',
    none: 'No trades on this day: there is no bill to download.',
    bad: 'Choose a day',
    done: 'Downloaded {file}',
  },
  zh: {
    title: '交易账单',
    intro: '与微信支付下载账单（v2 downloadbill / v3 tradebill）相同的账单：每笔交易一行，最后是汇总。',
    day: '日期（北京时间）',
    type: '交易类型',
    ALL: '全部', SUCCESS: '支付', REFUND: '退款',
    download: '下载 CSV',
    none: '这一天没有交易，没有账单可下载。',
    bad: '请选择日期',
    done: '已下载 {file}',
  },
});

type BillType = 'ALL' | 'SUCCESS' | 'REFUND';

/** Downloads a day's trade bill (text/csv from GET /api/v1/merchant/pay/bills). */
export function Bills() {
  const s = useStrings(strings);
  const [day, setDay] = useState(cstDay());
  const [type, setType] = useState<BillType>('ALL');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  async function get(e: FormEvent) {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return setError(s('bad'));
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const res = await fetch(`/api/v1/merchant/pay/bills?date=${day}&type=${type}`, { credentials: 'same-origin' });
      if (res.status === 404) return setError(s('none'));
      if (!res.ok) {
        const j = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
        return setError(j?.error?.message ?? res.statusText);
      }
      const file = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `bill-${day}.csv`;
      download(file, await res.text(), 'text/csv');
      setDone(s('done', { file }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={s('title')}>
      <p className="muted">{s('intro')}</p>
      <form className="form-grid" onSubmit={(e) => void get(e)} noValidate>
        <TextField label={s('day')} type="date" value={day} onChange={setDay} max={cstDay()} error={error} required />
        <SelectField label={s('type')} value={type} onChange={setType} options={(['ALL', 'SUCCESS', 'REFUND'] as const).map((v) => ({ value: v, label: s(v) }))} />
        <div><Button type="submit" variant="primary" busy={busy}>{s('download')}</Button></div>
        {done ? <p role="status">{done}</p> : null}
      </form>
    </Card>
  );
}

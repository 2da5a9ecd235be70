import { Badge, Card, Table, type BadgeTone } from '../../kit/index.ts';
import { useLang, useStrings } from '../../lib/i18n.ts';
import type { AsyncState } from '../../lib/use-async.ts';
import type { Report } from './api.ts';
import { strings } from './strings.ts';

const TONE: Record<Report['status'], BadgeTone> = { sending: 'info', success: 'success', fail: 'danger', deleted: 'neutral' };

/** Past broadcasts with their reports, newest first. */
export function History({ history, tagNames }: { history: AsyncState<Report[]>; tagNames: Map<number, string> }) {
  const s = useStrings(strings);
  const lang = useLang();
  const status: Record<Report['status'], string> = { sending: s('statusSending'), success: s('statusSuccess'), fail: s('statusFail'), deleted: s('statusDeleted') };
  const kind: Record<string, string> = { text: s('kindText'), image: s('kindImage'), news: s('kindNews'), mpnews: s('kindNews') };
  const to = (r: Report) => (r.audience === 'all' ? s('allFollowers') : r.audience === 'tag' ? s('tagN', { name: tagNames.get(r.tagId ?? -1) ?? `#${r.tagId ?? ''}` }) : s('openidList'));
  return (
    <Card title={s('history')}>
      <Table
        rows={history.data}
        error={history.error}
        onRetry={history.reload}
        rowKey={(r) => r.msgId}
        empty={{ text: s('noHistory') }}
        columns={[
          { key: 'when', header: s('when'), render: (r) => new Date(r.createdAt).toLocaleString(lang) },
          { key: 'what', header: s('what'), render: (r) => <><Badge>{kind[r.msgtype] ?? r.msgtype}</Badge> {r.summary}</> },
          { key: 'to', header: s('to'), render: to },
          { key: 'status', header: s('status'), render: (r) => <Badge tone={TONE[r.status]}>{status[r.status]}</Badge> },
          { key: 'result', header: s('result'), render: (r) => <span data-testid={`report-${r.msgId}`}>{s('resultText', { sent: r.sent, failed: r.failed, skipped: r.filtered })}</span> },
        ]}
      />
    </Card>
  );
}

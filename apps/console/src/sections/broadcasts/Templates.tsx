import { useState } from 'react';
import { Badge, Button, Card, ConfirmDialog, Table, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { BroadcastApi, Template } from './api.ts';
import { SendTemplate } from './SendTemplate.tsx';
import { strings } from './strings.ts';

const pre = { whiteSpace: 'pre-wrap', margin: 0, fontFamily: 'inherit' } as const;

/** The account's templates (send, delete) and the library to add from. */
export function Templates({ bapi }: { bapi: BroadcastApi }) {
  const s = useStrings(strings);
  const toast = useToast();
  const mine = useAsync(() => bapi.templates(), [bapi]);
  const library = useAsync(() => bapi.library(), [bapi]);
  const [sending, setSending] = useState<Template>();
  const [removing, setRemoving] = useState<Template>();
  const [adding, setAdding] = useState<string>();
  const titles = new Set((mine.data ?? []).map((t) => t.title));

  async function add(shortId: string) {
    setAdding(shortId);
    try {
      await bapi.addTemplate(shortId);
      toast(s('added'));
      mine.reload();
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      setAdding(undefined);
    }
  }

  return (
    <>
      <Card title={s('myTemplates')}>
        <Table
          rows={mine.data}
          error={mine.error}
          onRetry={mine.reload}
          rowKey={(t) => t.templateId}
          empty={{ text: s('noTemplates') }}
          columns={[
            { key: 'title', header: s('tplTitle'), render: (t) => <strong>{t.title}</strong> },
            { key: 'content', header: s('tplContent'), render: (t) => <pre style={pre}>{t.content}</pre> },
            { key: 'example', header: s('tplExample'), render: (t) => <pre className="muted" style={pre}>{t.example}</pre> },
            {
              key: 'actions',
              header: '',
              render: (t) => (
                <div className="actions">
                  <Button variant="primary" aria-label={s("sendNamed", { title: t.title })} onClick={() => setSending(t)}>{s("sendTpl")}</Button>
                  <Button variant="ghost" aria-label={s('removeNamed', { title: t.title })} onClick={() => setRemoving(t)}>{s('remove')}</Button>
                </div>
              ),
            },
          ]}
        />
      </Card>
      {sending ? <SendTemplate key={sending.templateId} bapi={bapi} template={sending} onClose={() => setSending(undefined)} /> : null}
      <Card title={s('library')}>
        <p className="muted">{s('libraryHint')}</p>
        <Table
          rows={library.data}
          error={library.error}
          onRetry={library.reload}
          rowKey={(t) => t.shortId}
          empty={{ text: '—' }}
          columns={[
            { key: 'title', header: s('tplTitle'), render: (t) => <strong>{t.title}</strong> },
            { key: 'content', header: s('tplContent'), render: (t) => <pre style={pre}>{t.content}</pre> },
            { key: 'example', header: s('tplExample'), render: (t) => <pre className="muted" style={pre}>{t.example}</pre> },
            {
              key: 'add',
              header: '',
              render: (t) => (
                <div className="actions">
                  {titles.has(t.title) ? <Badge tone="success">{s('inAccount')}</Badge> : null}
                  <Button aria-label={s('addNamed', { title: t.title })} busy={adding === t.shortId} onClick={() => void add(t.shortId)}>{s('add')}</Button>
                </div>
              ),
            },
          ]}
        />
      </Card>
      <ConfirmDialog
        open={removing !== undefined}
        title={s('removeTitle', { title: removing?.title ?? '' })}
        danger
        confirmLabel={s('remove')}
        onCancel={() => setRemoving(undefined)}
        onConfirm={async () => {
          if (!removing) return;
          await bapi.removeTemplate(removing.templateId);
          if (sending?.templateId === removing.templateId) setSending(undefined);
          setRemoving(undefined);
          toast(s('removed'));
          mine.reload();
        }}
      >
        <p>{s('removeBody')}</p>
      </ConfirmDialog>
    </>
  );
}

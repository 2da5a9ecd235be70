import { useState } from 'react';
import { Badge, Button, Card, ConfirmDialog, Table, useToast } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { replyApi, type AutoReply } from './api.ts';
import { RuleForm } from './RuleForm.tsx';
import { strings } from './strings.ts';

/** Keyword rules (exact / contains): list, add, edit in place, delete with confirmation. */
export function Rules({ accountId, rules, loading, error, onRetry, onChanged }: { accountId: string; rules: AutoReply[] | undefined; loading: boolean; error: unknown; onRetry: () => void; onChanged: () => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [editing, setEditing] = useState<AutoReply | 'new'>();
  const [deleting, setDeleting] = useState<AutoReply>();
  const keywordRules = rules?.filter((r) => r.match !== 'default');
  const addButton = (
    <Button variant="primary" onClick={() => setEditing('new')}>
      {s('add')}
    </Button>
  );
  return (
    <Card title={s('keywords')} actions={editing ? undefined : addButton}>
      <p className="hint">{s('keywordsHint')}</p>
      {editing ? (
        <Card title={editing === 'new' ? s('addTitle') : s('editTitle')}>
          <RuleForm
            key={editing === 'new' ? 'new' : editing.id}
            rule={editing === 'new' ? undefined : editing}
            others={keywordRules ?? []}
            onCancel={() => setEditing(undefined)}
            onSubmit={async (input) => {
              if (editing === 'new') await replyApi.create(accountId, input);
              else await replyApi.update(accountId, editing.id, input);
              toast(editing === 'new' ? s('created') : s('updated'), 'success');
              setEditing(undefined);
              onChanged();
            }}
          />
        </Card>
      ) : null}
      <Table<AutoReply>
        rows={keywordRules}
        rowKey={(r) => r.id}
        loading={loading}
        error={error}
        onRetry={onRetry}
        empty={{ text: s('empty'), action: editing ? undefined : addButton }}
        columns={[
          { key: 'match', header: s('match'), render: (r) => <Badge tone={r.match === 'exact' ? 'info' : 'neutral'}>{s(r.match === 'exact' ? 'exact' : 'contains')}</Badge> },
          { key: 'keyword', header: s('keyword'), render: (r) => <strong>{r.keyword}</strong> },
          { key: 'reply', header: s('reply'), render: (r) => <span style={{ whiteSpace: 'pre-wrap' }}>{r.replyText}</span> },
          {
            key: 'x',
            header: <span className="sr-only">{s('actions')}</span>,
            render: (r) => (
              <span className="actions">
                <Button variant="ghost" aria-label={s('editOf', { k: r.keyword })} onClick={() => setEditing(r)}>
                  {s('edit')}
                </Button>
                <Button variant="ghost" aria-label={s('deleteOf', { k: r.keyword })} onClick={() => setDeleting(r)}>
                  {s('delete')}
                </Button>
              </span>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={deleting !== undefined}
        title={s('deleteTitle', { k: deleting?.keyword ?? '' })}
        confirmLabel={s('delete')}
        danger
        onCancel={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (!deleting) return;
          await replyApi.remove(accountId, deleting.id);
          setDeleting(undefined);
          toast(s('deleted'), 'success');
          onChanged();
        }}
      >
        <p>{s('deleteBody')}</p>
      </ConfirmDialog>
    </Card>
  );
}

import { useState } from 'react';
import { Button, Card, ConfirmDialog, SelectField, Table, useToast } from '../../kit/index.ts';
import { useLang, useStrings } from '../../lib/i18n.ts';
import { menuApi, type ConditionalMenu, type MenuOverview } from './api.ts';
import { MenuEditor } from './MenuEditor.tsx';
import { fromWire, toWire, validateMenu, type DraftButton, type WireButton } from './model.ts';
import { strings } from './strings.ts';

const summary = (buttons: readonly WireButton[]) => buttons.map((b) => ('sub_button' in b ? `${b.name} (${b.sub_button.map((x) => x.name).join(', ')})` : b.name)).join(' · ');

/** Menus by tag: the list (delete with confirmation) and a new one made from a tag and a menu. */
export function Conditional({ accountId, accountName, overview, onChanged }: { accountId: string; accountName: string; overview: MenuOverview; onChanged: () => void }) {
  const s = useStrings(strings);
  const lang = useLang();
  const toast = useToast();
  const [draft, setDraft] = useState<DraftButton[]>();
  const [tagId, setTagId] = useState('');
  const [tagError, setTagError] = useState<string>();
  const [showErrors, setShowErrors] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [deleting, setDeleting] = useState<ConditionalMenu>();
  const tagName = (m: ConditionalMenu) => m.tagName ?? s('condDeletedTag', { id: m.tagId ?? '?' });
  const userTags = overview.tags;
  const chosen = userTags.find((t) => String(t.id) === tagId);

  if (!overview.default) return <p className="muted" role="status">{s('needDefault')}</p>;

  function tryPublish() {
    setShowErrors(true);
    setTagError(chosen ? undefined : s('pickTag'));
    if (chosen && draft && draft.length > 0 && validateMenu(draft).size === 0) setPublishing(true);
  }
  async function publish() {
    if (!draft || !chosen) return;
    await menuApi.addConditional(accountId, chosen.id, toWire(draft));
    setPublishing(false);
    setDraft(undefined);
    toast(s('condPublished'), 'success');
    onChanged();
  }
  async function remove() {
    if (!deleting) return;
    await menuApi.deleteConditional(accountId, deleting.menuid);
    setDeleting(undefined);
    toast(s('condDeleted'), 'success');
    onChanged();
  }
  const counts = new Map(userTags.map((t) => [String(t.id), t.count]));
  const newButton = (
    <Button variant="primary" disabled={userTags.length === 0} onClick={() => (setDraft(fromWire(overview.default?.button ?? [])), setTagId(''), setShowErrors(false))}>
      {s('condNew')}
    </Button>
  );
  return (
    <>
      <Card title={s('condList')} actions={draft ? undefined : newButton}>
        {userTags.length === 0 ? <p className="hint">{s('condNoTags')}</p> : null}
        <Table<ConditionalMenu>
          rows={overview.conditional}
          rowKey={(m) => m.menuid}
          empty={{ text: s('condEmpty') }}
          columns={[
            { key: 'tag', header: s('condTag'), render: (m) => tagName(m) },
            { key: 'followers', header: s('condFollowers'), numeric: true, render: (m) => counts.get(m.tagId ?? '') ?? 0 },
            { key: 'buttons', header: s('condButtons'), render: (m) => summary(m.button) },
            { key: 'created', header: s('condCreated'), render: (m) => new Date(m.createdAt).toLocaleString(lang) },
            { key: 'x', header: '', render: (m) => <Button variant="ghost" aria-label={`${s('condDelete')} ${tagName(m)}`} onClick={() => setDeleting(m)}>{s('condDelete')}</Button> },
          ]}
        />
      </Card>
      {draft ? (
        <Card title={s('condNew')}>
          <div className="form-grid">
            <SelectField label={s('condTag')} value={tagId} onChange={setTagId} error={tagError} hint={s('condTagHint')} required options={[{ value: '', label: s('pickTag') }, ...userTags.map((t) => ({ value: String(t.id), label: `${t.name} (${t.count})` }))]} />
          </div>
          <MenuEditor accountName={accountName} buttons={draft} onChange={setDraft} showErrors={showErrors} />
          {showErrors && validateMenu(draft).size > 0 ? <p className="field-error" role="alert">{s('fixFirst', { n: validateMenu(draft).size })}</p> : null}
          <div className="actions menu-actions">
            <Button variant="primary" onClick={tryPublish} disabled={draft.length === 0}>
              {s('publish')}
            </Button>
            <Button onClick={() => setDraft(undefined)}>{s('condCancel')}</Button>
          </div>
        </Card>
      ) : null}
      <ConfirmDialog open={publishing} title={s('condPublishTitle', { tag: chosen?.name ?? '' })} confirmLabel={s('publish')} onConfirm={publish} onCancel={() => setPublishing(false)}>
        <p>{s('condTagHint')}</p>
      </ConfirmDialog>
      <ConfirmDialog open={deleting !== undefined} title={s('condDeleteTitle', { tag: deleting ? tagName(deleting) : '' })} confirmLabel={s('condDelete')} danger onConfirm={remove} onCancel={() => setDeleting(undefined)}>
        <p>{s('condDeleteBody')}</p>
      </ConfirmDialog>
    </>
  );
}

import { useState } from 'react';
import { Badge, Button, ConfirmDialog, useToast } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { menuApi, type MenuOverview } from './api.ts';
import { MenuEditor } from './MenuEditor.tsx';
import { fromWire, sameMenu, toWire, validateMenu, type DraftButton } from './model.ts';
import { strings } from './strings.ts';

/** The default menu: edit, publish (with confirmation), discard, turn off. */
export function DefaultMenu({ accountId, accountName, overview, onChanged }: { accountId: string; accountName: string; overview: MenuOverview; onChanged: (o: MenuOverview | undefined) => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [published] = useState(() => fromWire(overview.default?.button ?? []));
  const [draft, setDraft] = useState<DraftButton[]>(published);
  const [showErrors, setShowErrors] = useState(false);
  const [confirm, setConfirm] = useState<'publish' | 'off'>();
  const [epoch, setEpoch] = useState(0);
  const problems = validateMenu(draft);
  const dirty = !sameMenu(draft, published);

  function tryPublish() {
    setShowErrors(true);
    if (problems.size === 0 && draft.length > 0) setConfirm('publish');
  }
  async function publish() {
    const next = await menuApi.publish(accountId, toWire(draft));
    setConfirm(undefined);
    toast(s('published'), 'success');
    onChanged(next);
  }
  async function turnOff() {
    await menuApi.turnOff(accountId);
    setConfirm(undefined);
    toast(s('turnedOff'), 'success');
    onChanged(undefined);
  }
  return (
    <>
      <div className="menu-status">
        {overview.default ? <Badge tone="success">{s('live')}</Badge> : null}
        {dirty ? <Badge tone="warning">{s('unpublished')}</Badge> : null}
      </div>
      <MenuEditor key={epoch} accountName={accountName} buttons={draft} onChange={setDraft} showErrors={showErrors} />
      {showErrors && problems.size > 0 ? (
        <p className="field-error" role="alert">
          {s('fixFirst', { n: problems.size })}
        </p>
      ) : null}
      <div className="actions menu-actions">
        <Button variant="primary" onClick={tryPublish} disabled={draft.length === 0}>
          {s('publish')}
        </Button>
        {dirty ? (
          <Button
            onClick={() => {
              setDraft(published);
              setShowErrors(false);
              setEpoch(epoch + 1);
            }}
          >
            {s('discard')}
          </Button>
        ) : null}
        <span className="spacer" />
        {overview.default ? (
          <Button variant="danger" onClick={() => setConfirm('off')}>
            {s('turnOff')}
          </Button>
        ) : null}
      </div>
      <ConfirmDialog open={confirm === 'publish'} title={s('publishTitle')} confirmLabel={s('publish')} onConfirm={publish} onCancel={() => setConfirm(undefined)}>
        <p>{s('publishBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm === 'off'} title={s('turnOffTitle')} confirmLabel={s('turnOff')} danger onConfirm={turnOff} onCancel={() => setConfirm(undefined)}>
        <p>{s('turnOffBody')}</p>
      </ConfirmDialog>
    </>
  );
}

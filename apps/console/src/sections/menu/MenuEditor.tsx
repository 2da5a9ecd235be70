import { useState } from 'react';
import { Card } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { ButtonForm } from './ButtonForm.tsx';
import { buttonAt, updateAt, validateMenu, type DraftButton } from './model.ts';
import { Phone } from './Phone.tsx';
import { Structure } from './Structure.tsx';
import { strings } from './strings.ts';

/**
 * Edits one menu: the phone preview, the list of buttons and the selected button's fields, all views
 * of the same `buttons` (so the preview is always what followers will see once published).
 * Problems show once `showErrors` is set (after a first publish attempt) or as a field is edited.
 */
export function MenuEditor({ accountName, buttons, onChange, showErrors }: { accountName: string; buttons: DraftButton[]; onChange: (b: DraftButton[]) => void; showErrors: boolean }) {
  const s = useStrings(strings);
  const [selected, setSelected] = useState<string | undefined>(buttons.length ? '0' : undefined);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const problems = validateMenu(buttons);
  const shown = new Set([...problems.keys()].filter((k) => showErrors || touched.has(k)));
  const current = selected === undefined ? undefined : buttonAt(buttons, selected);
  const change = (next: DraftButton[], select?: string) => {
    onChange(next);
    setSelected(select !== undefined && buttonAt(next, select) ? select : next.length ? '0' : undefined);
  };
  return (
    <div className="menu-editor">
      <div className="menu-editor-preview">
        <h3 className="menu-editor-h">{s('preview')}</h3>
        <Phone accountName={accountName} buttons={buttons} selected={selected} invalid={shown} onSelect={setSelected} />
      </div>
      <Card title={s('structure')}>
        <Structure buttons={buttons} selected={selected} invalid={shown} onChange={change} onSelect={setSelected} />
      </Card>
      <Card title={s('edit')}>
        {current && selected !== undefined ? (
          <ButtonForm
            key={current.uid}
            button={current}
            isTop={!selected.includes('.')}
            problems={shown.has(selected) ? (problems.get(selected) ?? {}) : {}}
            onChange={(b) => {
              setTouched(new Set([...touched, selected]));
              onChange(updateAt(buttons, selected, () => b));
            }}
          />
        ) : (
          <p className="muted">{s('editHint')}</p>
        )}
      </Card>
    </div>
  );
}

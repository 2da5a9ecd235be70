import { Button } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { LIMITS, move, newButton, pathKey, type DraftButton } from './model.ts';
import { strings } from './strings.ts';

/** The buttons as a list: select, add, reorder and delete (top buttons left/right, sub-buttons up/down). */
export function Structure({ buttons, selected, invalid, onChange, onSelect }: { buttons: DraftButton[]; selected: string | undefined; invalid: ReadonlySet<string>; onChange: (b: DraftButton[], select?: string) => void; onSelect: (key: string | undefined) => void }) {
  const s = useStrings(strings);
  const label = (b: DraftButton) => b.name.trim() || s('untitled');
  const row = (key: string, b: DraftButton, controls: { up: () => void; down: () => void; remove: () => void; upLabel: string; downLabel: string; first: boolean; last: boolean }) => (
    <div className={`menu-row${key === selected ? ' selected' : ''}${invalid.has(key) ? ' invalid' : ''}`}>
      <button type="button" className="menu-row-name link" aria-pressed={key === selected} onClick={() => onSelect(key)}>
        {label(b)}
      </button>
      <span className="menu-row-tools">
        <button type="button" className="icon-btn" aria-label={controls.upLabel} title={controls.upLabel} disabled={controls.first} onClick={controls.up}>
          ↑
        </button>
        <button type="button" className="icon-btn" aria-label={controls.downLabel} title={controls.downLabel} disabled={controls.last} onClick={controls.down}>
          ↓
        </button>
        <button type="button" className="icon-btn danger" aria-label={s('remove', { name: label(b) })} title={s('remove', { name: label(b) })} onClick={controls.remove}>
          ×
        </button>
      </span>
    </div>
  );
  const setSubs = (i: number, subs: DraftButton[], select?: string) => onChange(buttons.map((b, k) => (k === i ? { ...b, subs } : b)), select);
  return (
    <div className="menu-structure">
      <ol className="menu-tree">
        {buttons.map((b, i) => (
          <li key={b.uid}>
            {row(pathKey(i), b, {
              up: () => onChange(move(buttons, i, -1), pathKey(i - 1)),
              down: () => onChange(move(buttons, i, 1), pathKey(i + 1)),
              remove: () => onChange(buttons.filter((_, k) => k !== i), undefined),
              upLabel: s('moveLeft', { name: label(b) }),
              downLabel: s('moveRight', { name: label(b) }),
              first: i === 0,
              last: i === buttons.length - 1,
            })}
            <ol className="menu-tree sub">
              {b.subs.map((sub, j) => (
                <li key={sub.uid}>
                  {row(pathKey(i, j), sub, {
                    up: () => setSubs(i, move(b.subs, j, -1), pathKey(i, j - 1)),
                    down: () => setSubs(i, move(b.subs, j, 1), pathKey(i, j + 1)),
                    remove: () => setSubs(i, b.subs.filter((_, k) => k !== j), pathKey(i)),
                    upLabel: s('moveUp', { name: label(sub) }),
                    downLabel: s('moveDown', { name: label(sub) }),
                    first: j === 0,
                    last: j === b.subs.length - 1,
                  })}
                </li>
              ))}
              {b.subs.length < LIMITS.sub ? (
                <li>
                  <button type="button" className="link add-sub" onClick={() => setSubs(i, [...b.subs, newButton(`${s('newSub')} ${b.subs.length + 1}`)], pathKey(i, b.subs.length))}>
                    + {s('addSub', { name: label(b) })}
                  </button>
                </li>
              ) : null}
            </ol>
          </li>
        ))}
      </ol>
      {buttons.length < LIMITS.top ? (
        <Button onClick={() => onChange([...buttons, newButton(`${s('newButton')} ${buttons.length + 1}`)], pathKey(buttons.length))}>+ {s('addTop')}</Button>
      ) : null}
      <p className="hint">{s('structureHint')}</p>
    </div>
  );
}

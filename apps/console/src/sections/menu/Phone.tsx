import { useStrings } from '../../lib/i18n.ts';
import { pathKey, type DraftButton } from './model.ts';
import { strings } from './strings.ts';

/**
 * A phone drawing the menu bar the way the consumer client does (apps/client/src/chat/MenuBar.tsx):
 * a keyboard key, then the top buttons side by side; a parent shows "≡ name" and opens its sub-menu
 * above the bar. Tapping a button here selects it in the editor; `selected` keeps its sub-menu open.
 */
export function Phone({ accountName, buttons, selected, invalid, onSelect }: { accountName: string; buttons: readonly DraftButton[]; selected: string | undefined; invalid: ReadonlySet<string>; onSelect: (key: string) => void }) {
  const s = useStrings(strings);
  const openTop = selected === undefined ? undefined : Number(selected.split('.')[0]);
  const label = (b: DraftButton) => b.name.trim() || s('untitled');
  const cls = (key: string, base: string) => `${base}${key === selected ? ' selected' : ''}${invalid.has(key) ? ' invalid' : ''}`;
  return (
    <figure className="phone" aria-label={s('phoneLabel')}>
      <div className="phone-screen">
        <div className="phone-title">{accountName}</div>
        <div className="phone-chat">
          <p className="muted">{buttons.length ? s('chatPlaceholder') : s('noMenu')}</p>
        </div>
        <nav className="phone-menubar" aria-label={s('preview')} data-testid="phone-menubar">
          <span className="phone-kbd" aria-label={s('keyboard')} role="img">
            ⌨
          </span>
          {buttons.map((b, i) => {
            const key = pathKey(i);
            const parent = b.subs.length > 0;
            return (
              <div key={b.uid} className="phone-item">
                <button type="button" className={cls(key, 'phone-btn')} aria-expanded={parent ? openTop === i : undefined} aria-pressed={key === selected} onClick={() => onSelect(key)}>
                  {parent ? <span aria-hidden="true">≡ </span> : null}
                  {label(b)}
                </button>
                {parent && openTop === i ? (
                  <ul className="phone-submenu" aria-label={label(b)}>
                    {b.subs.map((sub, j) => (
                      <li key={sub.uid}>
                        <button type="button" className={cls(pathKey(i, j), 'phone-sub')} aria-pressed={pathKey(i, j) === selected} onClick={() => onSelect(pathKey(i, j))}>
                          {label(sub)}
                        </button>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            );
          })}
        </nav>
      </div>
      <figcaption className="hint">{s('previewHint')}</figcaption>
    </figure>
  );
}

import { useState } from 'react';
import type { Menu, MenuLeaf } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';

/** The account's custom menu at the bottom of the chat: top-level buttons, sub-menus as popovers. */
export function MenuBar({ menu, onTap, onKeyboard }: { menu: Menu; onTap: (leaf: MenuLeaf, path: number[]) => void; onKeyboard: () => void }) {
  const t = useT();
  const [openIndex, setOpenIndex] = useState<number | undefined>();
  return (
    <nav className="menubar" aria-label={t.menu}>
      <button type="button" className="menubar-toggle" aria-label={t.keyboard} onClick={onKeyboard}>
        ⌨
      </button>
      {menu.button.map((b, i) => {
        if ('sub_button' in b) {
          const open = openIndex === i;
          return (
            <div key={i} className="menubar-item">
              <button type="button" className="menubar-btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpenIndex(open ? undefined : i)}>
                <span aria-hidden="true">≡ </span>
                {b.name}
              </button>
              {open ? (
                <ul className="submenu" role="menu" aria-label={b.name}>
                  {b.sub_button.map((s, j) => (
                    <li key={j} role="none">
                      <button
                        type="button"
                        role="menuitem"
                        onClick={() => {
                          setOpenIndex(undefined);
                          onTap(s, [i, j]);
                        }}
                      >
                        {s.name}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          );
        }
        return (
          <div key={i} className="menubar-item">
            <button
              type="button"
              className="menubar-btn"
              onClick={() => {
                setOpenIndex(undefined);
                onTap(b, [i]);
              }}
            >
              {b.name}
            </button>
          </div>
        );
      })}
    </nav>
  );
}

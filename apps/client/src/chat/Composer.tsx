import { useRef, useState, type FormEvent } from 'react';
import { useT } from '../lib/i18n.ts';
import { Icon } from '../ui.tsx';

/** Text input + send, with "+" extras: send an image, share the location; a toggle back to the menu. */
export function Composer({ onText, onImage, onLocation, onMenu, disabled }: {
  onText: (text: string) => Promise<void>;
  onImage: (file: File) => void;
  onLocation: () => void;
  onMenu: (() => void) | undefined;
  disabled: boolean;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const [extras, setExtras] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setText('');
    await onText(value);
  };

  return (
    <div className="composer-wrap">
      <form className="composer" onSubmit={submit}>
        {onMenu ? (
          <button type="button" className="icon-btn" aria-label={t.showMenu} onClick={onMenu}>
            ☰
          </button>
        ) : null}
        <label className="visually-hidden" htmlFor="composer-input">
          {t.typeMessage}
        </label>
        <input id="composer-input" className="composer-input" value={text} onChange={(e) => setText(e.target.value)} enterKeyHint="send" autoComplete="off" disabled={disabled} maxLength={2048} />
        {text.trim() ? (
          <button type="submit" className="btn btn-primary btn-small" disabled={disabled}>
            {t.send}
          </button>
        ) : (
          <button type="button" className="icon-btn plus" aria-label={t.moreActions} aria-expanded={extras} onClick={() => setExtras(!extras)}>
            ＋
          </button>
        )}
      </form>
      {extras ? (
        <div className="extras">
          <label className="extra">
            <span className="extra-icon" aria-hidden="true">
              <Icon name="image" size={28} />
            </span>
            <span>{t.sendImage}</span>
            <input
              ref={fileRef}
              className="visually-hidden"
              type="file"
              accept="image/png,image/jpeg,image/gif,image/bmp"
              aria-label={t.sendImage}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) onImage(f);
                e.target.value = '';
                setExtras(false);
              }}
            />
          </label>
          <button
            type="button"
            className="extra"
            onClick={() => {
              setExtras(false);
              onLocation();
            }}
          >
            <span className="extra-icon" aria-hidden="true">
              <Icon name="pin" size={28} />
            </span>
            <span>{t.shareLocation}</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}

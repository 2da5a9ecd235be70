import { useCallback, useState, type FormEvent } from 'react';
import { api, ApiError, errorText, webviewPath } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { threadStore } from '../lib/threads.ts';
import { TopBar } from '../ui.tsx';
import { Camera } from '../scan/Camera.tsx';
import { decodeImageFile } from '../scan/decode.ts';

const isWebUrl = (s: string) => /^https?:\/\//i.test(s.trim());

/** A Native / H5 pay link of this platform (`${origin}/pay/native/<token>`) as the client route to open. */
export function payPathOf(content: string): string | undefined {
  try {
    const u = new URL(content.trim());
    if (u.origin !== window.location.origin || !/^\/pay\/(native|h5)\/[A-Za-z0-9_-]{1,128}$/.test(u.pathname)) return undefined;
    return u.pathname + u.search;
  } catch {
    return undefined;
  }
}

/**
 * Scan: the camera, "choose an image" and "paste a link". An account QR follows the account (with its
 * scene) and opens the chat; another web link opens in the web view. Opened from a scancode menu
 * button (`?account=…&path=0,1`), the result goes back to that account as the button's scanResult.
 */
export function ScanPage({ forAccount, menuPath }: { forAccount: string | null; menuPath: string | null }) {
  const t = useT();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState('');

  const handle = useCallback(
    async (content: string) => {
      setBusy(true);
      setError('');
      try {
        if (forAccount && menuPath) {
          const path = menuPath.split(',').map(Number);
          await api.tap(forAccount, { path, scanResult: content });
          navigate(`/chat/${encodeURIComponent(forAccount)}`, { replace: true });
          return;
        }
        const payPath = payPathOf(content);
        if (payPath) {
          navigate(payPath, { replace: true });
          return;
        }
        try {
          const res = await api.scanQr(content);
          void threadStore.refresh();
          navigate(`/chat/${encodeURIComponent(res.account.id)}`, { replace: true });
        } catch (e) {
          const reason = e instanceof ApiError ? (e.details as { reason?: string } | undefined)?.reason : undefined;
          if (reason === 'not_lianjie' && isWebUrl(content)) navigate(webviewPath(content.trim()), { replace: true });
          else if (reason === 'not_lianjie') setError(`${t.notLianjie}: ${content}`);
          else throw e;
        }
      } catch (e) {
        setError(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [forAccount, menuPath, t],
  );

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError('');
    setBusy(true);
    let text: string | undefined;
    try {
      text = await decodeImageFile(file);
    } catch {
      text = undefined;
    }
    setBusy(false);
    if (text) await handle(text);
    else setError(t.noQrFound);
  };

  const onLink = (e: FormEvent) => {
    e.preventDefault();
    if (link.trim()) void handle(link.trim());
  };

  return (
    <div className="page scan">
      <TopBar title={t.scan} back={forAccount ? `/chat/${forAccount}` : '/discover'} />
      <Camera onResult={handle} />
      <div className="scan-actions">
        <label className="btn btn-primary file-btn">
          {t.chooseImage}
          <input className="visually-hidden" type="file" accept="image/*" aria-label={t.chooseImage} disabled={busy} onChange={(e) => void onFile(e.target.files?.[0])} />
        </label>
        <form className="paste" onSubmit={onLink}>
          <label className="visually-hidden" htmlFor="scan-link">
            {t.pasteLink}
          </label>
          <input id="scan-link" type="url" inputMode="url" placeholder={t.pasteLink} value={link} onChange={(e) => setLink(e.target.value)} />
          <button type="submit" className="btn" disabled={busy || !link.trim()}>
            {t.open}
          </button>
        </form>
        {busy ? <p className="muted" aria-live="polite">{t.scanning}</p> : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}

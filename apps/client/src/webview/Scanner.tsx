import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { decodeQr } from './native.ts';
import type { WebViewStrings } from './strings.ts';

const sheet: CSSProperties = { position: 'fixed', inset: 0, background: 'rgba(0,0,0,.85)', color: '#fff', display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 12, padding: 16, zIndex: 50, overflow: 'auto' };
const button: CSSProperties = { padding: '10px 16px', borderRadius: 8, border: 'none', background: '#1aad19', color: '#fff', fontSize: 16 };

/**
 * `wx.scanQRCode`'s scanner: the camera (getUserMedia + jsQR, loaded on demand), or an image, or
 * pasted text for machines without a camera. Calls `onDone(text)` once, or `onDone(null)` on cancel.
 */
export function Scanner({ t, onDone }: { t: WebViewStrings; onDone: (text: string | null) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [note, setNote] = useState<string | null>(null);
  const [text, setText] = useState('');
  const done = useRef(false);
  const finish = (value: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(value);
  };

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    if (!navigator.mediaDevices?.getUserMedia) {
      setNote(t.noCamera);
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        await v.play().catch(() => {});
        timer = setInterval(() => {
          if (v.videoWidth === 0) return;
          void decodeQr(v, v.videoWidth, v.videoHeight).then((found) => found !== null && finish(found));
        }, 300);
      })
      .catch(() => setNote(t.noCamera));
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  async function fromImage(file: File | undefined) {
    if (!file) return;
    const bitmap = await createImageBitmap(file).catch(() => null);
    const found = bitmap ? await decodeQr(bitmap, bitmap.width, bitmap.height) : null;
    if (found === null) setNote(t.noCode);
    else finish(found);
  }

  return (
    <div role="dialog" aria-modal="true" aria-label={t.scanTitle} style={sheet}>
      <h2 style={{ margin: 0, fontSize: 18 }}>{t.scanTitle}</h2>
      <video ref={video} muted playsInline aria-label={t.camera} style={{ width: 'min(100%, 360px)', aspectRatio: '1', background: '#111', borderRadius: 8, objectFit: 'cover' }} />
      {note ? <p role="status" style={{ margin: 0 }}>{note}</p> : null}
      <label style={{ ...button, background: '#444' }}>
        {t.chooseImage}
        <input type="file" accept="image/*" hidden onChange={(e) => void fromImage(e.target.files?.[0])} />
      </label>
      <form
        style={{ display: 'flex', gap: 8, width: 'min(100%, 360px)' }}
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() !== '') finish(text.trim());
        }}
      >
        <input aria-label={t.pasteText} placeholder={t.pasteText} value={text} onChange={(e) => setText(e.target.value)} style={{ flex: 1, padding: 10, borderRadius: 8, border: 'none', fontSize: 16 }} />
        <button type="submit" style={button}>
          {t.useText}
        </button>
      </form>
      <button type="button" onClick={() => finish(null)} style={{ ...button, background: 'transparent', border: '1px solid #fff' }}>
        {t.cancel}
      </button>
    </div>
  );
}

/** `wx.chooseImage`: a file picker the person taps (a page cannot open one without their gesture). */
export function ImagePicker({ t, count, onDone }: { t: WebViewStrings; count: number; onDone: (files: File[] | null) => void }) {
  return (
    <div role="dialog" aria-modal="true" aria-label={t.pickTitle} style={{ ...sheet, justifyContent: 'flex-end' }}>
      <p style={{ margin: 0 }}>{t.pickTitle}</p>
      <label style={button}>
        {t.chooseImage}
        <input type="file" accept="image/*" multiple={count > 1} hidden onChange={(e) => onDone(Array.from(e.target.files ?? []).slice(0, count))} />
      </label>
      <button type="button" onClick={() => onDone(null)} style={{ ...button, background: 'transparent', border: '1px solid #fff' }}>
        {t.cancel}
      </button>
    </div>
  );
}

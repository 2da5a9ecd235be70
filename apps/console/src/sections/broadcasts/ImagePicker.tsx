import { useEffect, useId, useState } from 'react';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import type { BroadcastApi } from './api.ts';
import { strings } from './strings.ts';

/** Chooses an image file and uploads it at once; shows a thumbnail and the upload's state. */
export function ImagePicker({ bapi, value, onChange, error }: { bapi: BroadcastApi; value: { mediaId: string; name: string } | undefined; onChange: (v: { mediaId: string; name: string } | undefined) => void; error?: string | undefined }) {
  const s = useStrings(strings);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [thumb, setThumb] = useState<string>();
  useEffect(() => {
    if (!thumb) return undefined;
    return () => URL.revokeObjectURL(thumb);
  }, [thumb]);
  async function choose(file: File | undefined) {
    onChange(undefined);
    setFailure(undefined);
    if (!file) return setThumb(undefined);
    setThumb(URL.createObjectURL(file));
    setBusy(true);
    try {
      const r = await bapi.uploadImage(file);
      onChange({ mediaId: r.mediaId, name: file.name });
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const message = failure ?? error;
  return (
    <div className={`field${message ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {s('image')}
        <span className="req" aria-hidden="true"> *</span>
      </label>
      <input id={id} type="file" accept="image/png,image/jpeg,image/gif,image/bmp" aria-describedby={`${id}-hint`} aria-invalid={message ? true : undefined} onChange={(e) => void choose(e.target.files?.[0])} />
      <p className="hint" id={`${id}-hint`}>{s('imageHint')}</p>
      {busy ? <p role="status">{s('uploading')}</p> : null}
      {value && !busy ? <p role="status">{s('uploaded', { name: value.name })}</p> : null}
      {thumb ? <img src={thumb} alt="" style={{ maxWidth: 160, maxHeight: 160, borderRadius: 6, border: '1px solid var(--line)' }} /> : null}
      {message ? <p className="field-error" role="alert">{message}</p> : null}
    </div>
  );
}

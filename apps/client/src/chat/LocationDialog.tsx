import { useEffect, useState, type FormEvent } from 'react';
import type { LocationInput } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';

/**
 * Asks the browser for the current position; when that is refused or unavailable, the user types a
 * latitude/longitude (and a place name) instead.
 */
export function LocationDialog({ onPick, onCancel }: { onPick: (l: LocationInput) => void; onCancel: () => void }) {
  const t = useT();
  const [state, setState] = useState<'locating' | 'manual'>(() => ('geolocation' in navigator ? 'locating' : 'manual'));
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [label, setLabel] = useState('');

  useEffect(() => {
    if (state !== 'locating') return;
    let live = true;
    navigator.geolocation.getCurrentPosition(
      (pos) => live && onPick({ latitude: pos.coords.latitude, longitude: pos.coords.longitude, scale: 15, label: '' }),
      () => live && setState('manual'),
      { timeout: 8000, maximumAge: 60_000 },
    );
    return () => {
      live = false;
    };
  }, [state, onPick]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const latitude = Number(lat);
    const longitude = Number(lng);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return;
    onPick({ latitude, longitude, scale: 15, label: label.trim() });
  };

  return (
    <div className="sheet-backdrop" onClick={onCancel}>
      <div className="sheet" role="dialog" aria-modal="true" aria-label={t.shareLocation} onClick={(e) => e.stopPropagation()}>
        <h2 className="sheet-title">{t.shareLocation}</h2>
        {state === 'locating' ? (
          <p className="muted" aria-live="polite">
            {t.locating}{' '}
            <button type="button" className="btn-link" onClick={() => setState('manual')}>
              {t.latitude}/{t.longitude}
            </button>
          </p>
        ) : (
          <form className="form" onSubmit={submit}>
            <p className="muted small">{t.locationManual}</p>
            <label className="field">
              <span>{t.latitude}</span>
              <input name="latitude" inputMode="decimal" required value={lat} onChange={(e) => setLat(e.target.value)} placeholder="31.2304" />
            </label>
            <label className="field">
              <span>{t.longitude}</span>
              <input name="longitude" inputMode="decimal" required value={lng} onChange={(e) => setLng(e.target.value)} placeholder="121.4737" />
            </label>
            <label className="field">
              <span>{t.placeLabel}</span>
              <input name="label" value={label} onChange={(e) => setLabel(e.target.value)} />
            </label>
            <button type="submit" className="btn btn-primary">
              {t.send}
            </button>
          </form>
        )}
        <button type="button" className="btn" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}

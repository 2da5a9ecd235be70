import { useEffect, useRef, useState } from 'react';
import { useT } from '../lib/i18n.ts';
import { decodeCanvas } from './decode.ts';

/** The rear camera (getUserMedia) with a frame scanned for a QR code about five times a second. */
export function Camera({ onResult }: { onResult: (text: string) => void }) {
  const t = useT();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'on' | 'unavailable'>('starting');
  const done = useRef(false);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });

    const tick = async () => {
      const v = videoRef.current;
      if (!live || !v || !ctx) return;
      if (v.readyState >= v.HAVE_ENOUGH_DATA && v.videoWidth > 0) {
        const scale = Math.min(1, 640 / Math.max(v.videoWidth, v.videoHeight));
        canvas.width = Math.round(v.videoWidth * scale);
        canvas.height = Math.round(v.videoHeight * scale);
        ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
        const text = await decodeCanvas(ctx, canvas.width, canvas.height);
        if (text && live && !done.current) {
          done.current = true;
          onResult(text);
          return;
        }
      }
      timer = setTimeout(() => void tick(), 200);
    };

    if (!navigator.mediaDevices?.getUserMedia) {
      setState('unavailable');
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(
      async (s) => {
        if (!live) {
          s.getTracks().forEach((tr) => tr.stop());
          return;
        }
        stream = s;
        const v = videoRef.current;
        if (v) {
          v.srcObject = s;
          await v.play().catch(() => undefined);
        }
        setState('on');
        void tick();
      },
      () => live && setState('unavailable'),
    );
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [onResult]);

  return (
    <div className="camera">
      <video ref={videoRef} className="camera-video" playsInline muted aria-label={t.scanHint} hidden={state !== 'on'} />
      {state === 'on' ? <div className="camera-frame" aria-hidden="true" /> : null}
      <p className="camera-hint">{state === 'unavailable' ? t.cameraUnavailable : t.scanHint}</p>
    </div>
  );
}

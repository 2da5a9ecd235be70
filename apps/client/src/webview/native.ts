import { BridgeFailure, type VerifyBody } from './bridge.ts';

/** `wx.config` checked by the platform for the signed-in consumer; refusals become `config:…` errMsgs. */
export async function verifyConfig(body: VerifyBody): Promise<string[]> {
  let res: Response;
  try {
    res = await fetch('/api/v1/jssdk/verify', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new BridgeFailure('config:fail network error');
  }
  const json = (await res.json().catch(() => ({}))) as { jsApiList?: string[]; error?: { message?: string; details?: { errMsg?: string } } };
  if (res.ok && Array.isArray(json.jsApiList)) return json.jsApiList;
  throw new BridgeFailure(json.error?.details?.errMsg ?? `config:${json.error?.message ?? 'fail'}`);
}

/**
 * `wx.getLocation` from the browser's geolocation, in WeChat's result shape. Coordinates are WGS84 as
 * the browser gives them (type 'gcj02' is not converted). Never hangs: a timeout answers a fail errMsg.
 */
export function currentLocation(timeoutMs = 12_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new BridgeFailure('getLocation:fail unsupported'));
    const timer = setTimeout(() => reject(new BridgeFailure('getLocation:fail timeout')), timeoutMs);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, speed: p.coords.speed ?? 0, accuracy: p.coords.accuracy, errMsg: 'getLocation:ok' });
      },
      (err) => {
        clearTimeout(timer);
        reject(new BridgeFailure(err.code === err.PERMISSION_DENIED ? 'getLocation:fail auth deny' : `getLocation:fail ${err.message || 'unavailable'}`));
      },
      { timeout: timeoutMs - 1000, maximumAge: 60_000 },
    );
  });
}

/** Uploads one image as the consumer (POST /api/v1/media) and returns its URL. */
export async function uploadImage(file: File): Promise<string> {
  const form = new FormData();
  form.append('media', file, file.name);
  const res = await fetch('/api/v1/media', { method: 'POST', credentials: 'same-origin', body: form });
  const json = (await res.json().catch(() => ({}))) as { url?: string; error?: { message?: string } };
  if (!res.ok || !json.url) throw new BridgeFailure(`chooseImage:fail ${json.error?.message ?? 'upload failed'}`);
  return json.url;
}

/** Decodes a QR code from an image or video frame; jsQR is loaded on first use (its own chunk). */
export async function decodeQr(source: CanvasImageSource, width: number, height: number): Promise<string | null> {
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g || width === 0 || height === 0) return null;
  g.drawImage(source, 0, 0, width, height);
  const img = g.getImageData(0, 0, width, height);
  return jsQR(img.data, width, height)?.data ?? null;
}

/** QR decoding with jsQR, loaded on first use (it stays out of the initial bundle). */

type Decoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
let decoder: Promise<Decoder> | undefined;
const loadDecoder = () => (decoder ??= import('jsqr').then((m) => (data, w, h) => m.default(data, w, h, { inversionAttempts: 'attemptBoth' })));

/** Decodes the QR code in a canvas region; undefined when none is found. */
export async function decodeCanvas(ctx: CanvasRenderingContext2D, width: number, height: number): Promise<string | undefined> {
  const decode = await loadDecoder();
  const img = ctx.getImageData(0, 0, width, height);
  return decode(img.data, width, height)?.data ?? undefined;
}

/** Decodes the QR code in an image file (scaled to at most 1024 px on its long side). */
export async function decodeImageFile(file: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return undefined;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return decodeCanvas(ctx, width, height);
}

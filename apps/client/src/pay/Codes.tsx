import QRCode from 'qrcode';
import { useMemo } from 'react';
import { code128Bars } from './code128.ts';

/** The payment code as a Code 128 barcode (SVG, crisp at any size). */
export function Barcode({ text, label, height = 80 }: { text: string; label: string; height?: number }) {
  const { bars, width } = useMemo(() => code128Bars(text), [text]);
  return (
    <svg className="pay-barcode" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" data-code={text}>
      <rect width={width} height={height} fill="#fff" />
      <path d={bars.map((b) => `M${b.x} 0h${b.w}v${height}h${-b.w}z`).join('')} fill="#000" />
    </svg>
  );
}

/** The same code as a QR code (module matrix from `qrcode`, drawn as one SVG path). */
export function QrCode({ text, label, size = 180 }: { text: string; label: string; size?: number }) {
  const { path, n } = useMemo(() => {
    const q = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const count = q.modules.size;
    let d = '';
    for (let r = 0; r < count; r++) for (let c = 0; c < count; c++) if (q.modules.get(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
    return { path: d, n: count + 8 };
  }, [text]);
  return (
    <svg className="pay-qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shapeRendering="crispEdges" data-code={text}>
      <rect width={n} height={n} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/**
 * Code 128 (ISO/IEC 15417) without dependencies: the payment code as bars a cashier's scanner reads.
 * All-digit text of even length uses code set C (two digits a symbol, as WeChat's 18-digit codes do);
 * anything else code set B (ASCII 32–126). Each pattern lists module widths, bar first; symbols are
 * 11 modules wide, the stop 13 (its termination bar included).
 */
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

const START_B = 104;
const START_C = 105;
const STOP = 106;

/** The symbol values: start, data, checksum (mod 103), stop. */
export function code128Values(text: string): number[] {
  const data: number[] = [];
  let start: number;
  if (text.length > 0 && text.length % 2 === 0 && /^\d+$/.test(text)) {
    start = START_C;
    for (let i = 0; i < text.length; i += 2) data.push(Number(text.slice(i, i + 2)));
  } else {
    start = START_B;
    for (const ch of text) {
      const c = ch.codePointAt(0) ?? 0;
      if (c < 32 || c > 126) throw new Error('Code 128 B carries ASCII 32–126 only');
      data.push(c - 32);
    }
  }
  const check = data.reduce((sum, v, i) => sum + v * (i + 1), start) % 103;
  return [start, ...data, check, STOP];
}

/** The module widths, bar first, alternating bar and space. */
export function code128Widths(text: string): number[] {
  return code128Values(text).flatMap((v) => Array.from(PATTERNS[v] ?? '', Number));
}

/** The bars as `{x, w}` in modules, with a 10-module quiet zone each side; `width` is the total. */
export function code128Bars(text: string, quiet = 10): { bars: { x: number; w: number }[]; width: number } {
  const bars: { x: number; w: number }[] = [];
  let x = quiet;
  code128Widths(text).forEach((w, i) => {
    if (i % 2 === 0) bars.push({ x, w });
    x += w;
  });
  return { bars, width: x + quiet };
}

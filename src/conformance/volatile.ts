/**
 * Values that are volatile by nature (ids, change keys, timestamps, GUIDs, base64 tokens):
 * a live server cannot return the documented ones, so they must only match their shape.
 */
const SHAPES: { name: string; token: RegExp; pattern: string }[] = [
  { name: 'GUID', token: /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g, pattern: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}' },
  { name: 'timestamp', token: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, pattern: '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?' },
  // Base64 and long hex tokens (Exchange ids and change keys, call ids): 16 characters or more.
  { name: 'token', token: /(?<![\w+/=])(?=[A-Za-z0-9+/]*\d)[A-Za-z0-9+/]{16,}={0,2}(?![\w+/=])/g, pattern: '[A-Za-z0-9+/_-]{8,}={0,2}' },
];

export interface ValueMatcher {
  /** True when the documented value contains volatile parts, matched by shape. */
  volatile: boolean;
  shapes: string[];
  test(actual: string): boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A matcher for a documented string: volatile tokens become their shape, documented
 * origins (`https://graph.microsoft.com`) may be the implementation's own, the rest is exact.
 */
export function valueMatcher(documented: string, origins: readonly string[] = []): ValueMatcher {
  type Piece = { start: number; end: number; pattern: string; shape: string };
  const pieces: Piece[] = [];
  for (const shape of SHAPES) {
    for (const m of documented.matchAll(shape.token)) {
      const start = m.index;
      const end = start + m[0].length;
      if (pieces.some((p) => start < p.end && end > p.start)) continue;
      pieces.push({ start, end, pattern: shape.pattern, shape: shape.name });
    }
  }
  for (const origin of origins) {
    for (let at = documented.indexOf(origin); at !== -1; at = documented.indexOf(origin, at + 1)) {
      if (pieces.some((p) => at < p.end && at + origin.length > p.start)) continue;
      pieces.push({ start: at, end: at + origin.length, pattern: '(?:https?://[^/"\\s]+)', shape: 'origin' });
    }
  }
  if (pieces.length === 0) return { volatile: false, shapes: [], test: (actual) => actual === documented };
  pieces.sort((a, b) => a.start - b.start);
  let source = '^';
  let last = 0;
  for (const p of pieces) {
    source += escape(documented.slice(last, p.start)) + p.pattern;
    last = p.end;
  }
  source += `${escape(documented.slice(last))}$`;
  const regex = new RegExp(source);
  return { volatile: true, shapes: [...new Set(pieces.map((p) => p.shape))], test: (actual) => regex.test(actual) };
}

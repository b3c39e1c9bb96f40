import { startsWithSegment } from './request.js';

/**
 * Values that are volatile by nature (ids, change keys, timestamps, GUIDs, base64 tokens):
 * a live server cannot return the documented ones, so they must only match their shape.
 */
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const SHAPES: { name: string; token: RegExp; pattern: string }[] = [
  { name: 'GUID', token: new RegExp(GUID, 'g'), pattern: GUID },
  // A GUID the docs mistyped (`86dc81db-…-63f3esaa1edb`, `d17646-3110-…`) or wrote as a placeholder
  // (`xxxxxxxx-xxxx-…`) still means "a GUID here": the live value must be a real one. The lint rule
  // example-inconsistent reports the mistyped ones.
  {
    name: 'GUID',
    token: /(?<![\w-])[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}(?![\w-])/g,
    pattern: GUID,
  },
  {
    name: 'GUID',
    token: /(?<![\w-])[0-9a-fA-F]{5,11}-[0-9a-fA-F]{3,5}-[0-9a-fA-F]{3,5}-[0-9a-fA-F]{3,5}-[0-9a-fA-F]{9,15}(?![\w-])/g,
    pattern: GUID,
  },
  {
    name: 'timestamp',
    token: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g,
    pattern: '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?',
  },
  // Base64 and long hex tokens (Exchange ids and change keys, call ids): 16 characters or more.
  {
    name: 'token',
    token: /(?<![\w+/=])(?=[A-Za-z0-9+/]*\d)[A-Za-z0-9+/]{16,}={0,2}(?![\w+/=])/g,
    pattern: '[A-Za-z0-9+/_-]{8,}={0,2}',
  },
];

/**
 * Values the live answer must repeat exactly, learnt during a run: what was actually sent where the
 * documented response echoes the documented request, and the ids a created resource was given.
 */
export interface Pins {
  /** A documented value → the value the live one must be, when the documented value is the whole string. */
  exact: ReadonlyMap<string, Pin>;
  /** A documented token (an id) → what must stand in its place wherever it appears in a string. */
  within: ReadonlyMap<string, Pin>;
}

/** A value the live answer must hold, and why (`echoes the request`, `names the created resource`). */
export interface Pin {
  value: string;
  why: string;
}

export const NO_PINS: Pins = { exact: new Map(), within: new Map() };

export interface ValueMatcher {
  /** True when the documented value contains volatile or pinned parts. */
  volatile: boolean;
  shapes: string[];
  test(actual: string): boolean;
  /** For a matching live value, what each volatile token of the documented one stands for there. */
  bind(actual: string): [documented: string, live: string][];
  /** The value required in place of the documented one, when pins alone decide it. */
  pinned: Pin | null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pinned value as a pattern: a GUID in any letter case (RFC 4122 reads them case-insensitively), the rest exactly.
 */
const pinPattern = (value: string) =>
  new RegExp(`^${GUID}$`).test(value)
    ? value.replace(/[a-fA-F]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)
    : escape(value);

/**
 * A matcher for a documented string: pinned values must be what they are pinned to, volatile
 * tokens only match their shape, documented origins (`https://graph.microsoft.com`) may be the
 * implementation's own, the rest is exact.
 */
export function valueMatcher(
  documented: string,
  origins: readonly string[] = [],
  pins: Pins = NO_PINS,
  pathMap?: Record<string, string>,
): ValueMatcher {
  const whole = pins.exact.get(documented);
  if (whole !== undefined) {
    return {
      volatile: true,
      shapes: ['pinned'],
      test: (actual) => actual === whole.value,
      bind: () => [],
      pinned: whole,
    };
  }
  type Piece = { start: number; end: number; pattern: string; shape: string };
  const pieces: Piece[] = [];
  const free = (start: number, end: number) => !pieces.some((p) => start < p.end && end > p.start);
  for (const [token, pin] of pins.within) {
    for (let at = documented.indexOf(token); at !== -1; at = documented.indexOf(token, at + 1)) {
      if (free(at, at + token.length))
        pieces.push({ start: at, end: at + token.length, pattern: pinPattern(pin.value), shape: 'pinned' });
    }
  }
  for (const shape of SHAPES) {
    for (const m of documented.matchAll(shape.token)) {
      if (free(m.index, m.index + m[0].length))
        pieces.push({ start: m.index, end: m.index + m[0].length, pattern: shape.pattern, shape: shape.name });
    }
  }
  for (const origin of origins) {
    for (let at = documented.indexOf(origin); at !== -1; at = documented.indexOf(origin, at + 1)) {
      // With --path-map, the documented origin and path prefix (`…/beta`) stand for the implementation's own.
      const rest = documented.slice(at + origin.length);
      const from = pathMap
        ? Object.keys(pathMap)
            .filter((f) => startsWithSegment(rest, f))
            .sort((a, b) => b.length - a.length)[0]
        : undefined;
      const end = at + origin.length + (from !== undefined ? from.replace(/\/+$/, '').length : 0);
      const mapped = from !== undefined ? escape(pathMap![from]!.replace(/\/+$/, '')) : '';
      if (free(at, end)) pieces.push({ start: at, end, pattern: `(?:https?://[^/"\\s]+)${mapped}`, shape: 'origin' });
    }
  }
  if (pieces.length === 0)
    return { volatile: false, shapes: [], test: (actual) => actual === documented, bind: () => [], pinned: null };
  pieces.sort((a, b) => a.start - b.start);
  let source = '^';
  let last = 0;
  for (const p of pieces) {
    source += `${escape(documented.slice(last, p.start))}(${p.pattern})`;
    last = p.end;
  }
  source += `${escape(documented.slice(last))}$`;
  const regex = new RegExp(source);
  const pinOf = (p: Piece) => pins.within.get(documented.slice(p.start, p.end))!;
  const pinnedWhole: Pin | null = pieces.every((p) => p.shape === 'pinned')
    ? {
        value: pieces.reduceRight((text, p) => text.slice(0, p.start) + pinOf(p).value + text.slice(p.end), documented),
        why: pinOf(pieces[0]!).why,
      }
    : null;
  return {
    volatile: true,
    shapes: [...new Set(pieces.map((p) => p.shape))],
    test: (actual) => regex.test(actual),
    bind: (actual) => {
      const m = regex.exec(actual);
      if (!m) return [];
      return pieces.flatMap((p, i) =>
        p.shape === 'GUID' || p.shape === 'token'
          ? [[documented.slice(p.start, p.end), m[i + 1]!] as [string, string]]
          : [],
      );
    },
    pinned: pinnedWhole,
  };
}

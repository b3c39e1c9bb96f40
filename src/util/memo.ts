import { detached } from './text.js';

/**
 * A function of an object, computed once per object: for what is derived from loaded pages,
 * samples and groups, which never change once loaded. Entries go when their keys do.
 */
export function oncePer<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    const known = memo.get(key); // one lookup when known: a replay asks thousands of times
    if (known !== undefined || memo.has(key)) return known!;
    const value = compute(key);
    memo.set(key, value);
    return value;
  };
}

/**
 * A function of a text, computed once while the text is recent: for parses whose results are never changed once made,
 * asked for the same text a few calls apart. The texts held are bounded by their characters: when a new one would pass
 * `maxChars`, all are let go (cheaper than an LRU's bookkeeping, and the next few calls refill it).
 */
export function oncePerRecentText<V>(compute: (text: string) => V, maxChars = 1 << 20): (text: string) => V {
  const memo = new Map<string, V>();
  let chars = 0;
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    const value = compute(text);
    if (text.length > maxChars) return value;
    if (chars + text.length > maxChars) {
      memo.clear();
      chars = 0;
    }
    // A copy of its own: the text is a slice of its page, which the key would keep alive otherwise.
    memo.set(detached(text), value);
    chars += text.length;
    return value;
  };
}

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

/*
 * A memo of what a page group computes is bounded to a few groups' worth, not to all a run could reuse: its entries
 * live in the old generation, which each worker's heap grows by half again over what it holds. Graph (98,130 pages,
 * 2 workers), memos of 50,000 texts and 1 M sample characters: 18 MB of them in a worker's heap midway, 620-628 MB
 * peak RSS for the run; with bounds of 64-256 K characters (samples: the default below), 512-524 MB in the same time
 * (rounds interleaved, same report).
 */

/**
 * A function of a text, computed once while the text is recent: for parses whose results are never changed once made,
 * asked for the same text a few calls apart. The texts held are bounded by their characters: when a new one would pass
 * `maxChars`, all are let go (cheaper than an LRU's bookkeeping, and the next few calls refill it).
 */
export function oncePerRecentText<V>(compute: (text: string) => V, maxChars = 1 << 18): (text: string) => V {
  const memo = new Map<string, V>();
  let chars = 0;
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    if (text.length > maxChars) return compute(text);
    // Computed from a copy of its own: the text may be a slice of its page (markdown-it gives a one-line code block
    // as one), and both the key and the strings cut from it into the value would keep the whole page alive.
    const own = detached(text);
    const value = compute(own);
    if (chars + own.length > maxChars) {
      memo.clear();
      chars = 0;
    }
    memo.set(own, value);
    chars += own.length;
    return value;
  };
}

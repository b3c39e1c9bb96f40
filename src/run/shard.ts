/**
 * The shard (0-based) a page group belongs to: a hash of its id, so that adding pages does not
 * move the others, and a CI matrix of n jobs covers every group exactly once.
 */
export function shardOf(pageId: string, count: number): number {
  let h = 2166136261;
  for (let i = 0; i < pageId.length; i++) h = Math.imul(h ^ pageId.charCodeAt(i), 16777619) >>> 0;
  return h % count;
}

/** Shard `index` (0-based) of `count`: the CLI's `--shard i/n` with i - 1. */
export interface Shard {
  index: number;
  count: number;
}

/** `i/n` (1 ≤ i ≤ n, as `--shard` and LOCKSTEP_SHARD write it) as a shard; null when it is not that. */
export function shardFromText(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) return null;
  return { index: Number(m[1]) - 1, count: Number(m[2]) };
}

/** What a shard is written as, for the messages that refuse another text. */
export const SHARD_EXPECTED = 'expected i/n with 1 ≤ i ≤ n, e.g. 2/4';

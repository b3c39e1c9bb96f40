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

import type { Page } from '../page/page.js';

export interface Verdict<T> {
  /** Pages whose value is the odd one out. */
  outlier: Page;
  value: T;
  /** Pages holding the reference value. */
  reference: { page: Page; value: T }[];
}

/**
 * Who is at fault when locales disagree: the source locale when it takes part; else the
 * majority (more than half); else the one side that a witness holds too (`witnesses`: values of pages not
 * compared here that can vouch for one, such as the source's or a newer revision's: translations of one revision
 * that disagree, one side as the newer revision has it, mean the others were damaged; a newer revision that
 * changed the value holds none); with two pages and no witness, both sides; with no majority, everyone.
 */
export function blame<T>(
  entries: readonly { page: Page; value: T }[],
  same: (a: T, b: T) => boolean,
  source: Page | null = null,
  witnesses: readonly T[] = [],
): Verdict<T>[] {
  if (entries.length < 2) return [];
  const classes: { page: Page; value: T }[][] = [];
  for (const entry of entries) {
    const cls = classes.find((c) => same(c[0]!.value, entry.value));
    if (cls) cls.push(entry);
    else classes.push([entry]);
  }
  if (classes.length === 1) return [];
  const sourceClass = source ? classes.find((c) => c.some((e) => e.page === source)) : undefined;
  const witnessed = classes.filter((c) => witnesses.some((w) => same(c[0]!.value, w)));
  const majority =
    sourceClass ??
    classes.find((c) => c.length * 2 > entries.length) ??
    (witnessed.length === 1 ? witnessed[0] : undefined);
  if (majority) {
    return entries
      .filter((e) => !majority.includes(e))
      .map((e) => ({ outlier: e.page, value: e.value, reference: majority }));
  }
  return entries.map((e) => ({
    outlier: e.page,
    value: e.value,
    reference: entries.filter((o) => !classes.find((c) => c.includes(e))!.includes(o)),
  }));
}

import type { Page } from '../page/page.js';
import type { Sample } from '../sample/sample.js';

/** One sample as it appears in each locale of a page group. */
export interface AlignedSample {
  /** The sample id shared across locales. */
  key: string;
  byPage: Map<Page, Sample>;
}

/**
 * Align samples across the pages of a group by their stable id: the annotation name when
 * present, else the section anchor path and ordinal. Translated heading text never takes
 * part. A page whose ids do not match the reference but whose samples have the same
 * count and kinds is aligned by ordinal (its anchors were damaged; anchor-mismatch says so).
 */
export function alignSamples(pages: readonly Page[], reference: Page | null): AlignedSample[] {
  const ref = reference ?? pages[0];
  const refIds = new Set(ref?.samples.map((s) => s.id) ?? []);
  const keysOf = new Map<Page, string[]>();
  for (const page of pages) {
    const ids = page.samples.map((s) => s.id);
    const matches = ids.filter((id) => refIds.has(id)).length;
    const sameShape =
      ref &&
      page !== ref &&
      page.samples.length === ref.samples.length &&
      page.samples.every((s, i) => s.kind === ref.samples[i]!.kind);
    keysOf.set(page, sameShape && matches < ids.length ? ref!.samples.map((s) => s.id) : ids);
  }
  const order: string[] = [];
  const byKey = new Map<string, AlignedSample>();
  for (const page of pages) {
    const keys = keysOf.get(page)!;
    page.samples.forEach((sample, i) => {
      const key = keys[i]!;
      let aligned = byKey.get(key);
      if (!aligned) {
        aligned = { key, byPage: new Map() };
        byKey.set(key, aligned);
        order.push(key);
      }
      if (!aligned.byPage.has(page)) aligned.byPage.set(page, sample);
    });
  }
  // Pushed to a literal, not mapped: the map of an empty list (a group without samples) is of another element kind,
  // and V8 compiles a rule that loops over `ctx.aligned` again when it meets one.
  const aligned: AlignedSample[] = [];
  for (const key of order) aligned.push(byKey.get(key)!);
  return aligned;
}

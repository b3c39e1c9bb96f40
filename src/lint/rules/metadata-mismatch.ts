import { blame } from '../../align/blame.js';
import { localesOf, related, type Finding, type Rule } from '../rule.js';
import { canonical } from './annotation-mismatch.js';
import { documented } from './docs.js';

/** Metadata that names the API, not the page's language: equal in every locale of a revision. */
const KEYS = ['ms.assetid', 'api_name', 'api_type', 'ms.topic'];

export const metadataMismatch: Rule = {
  meta: documented({ id: 'metadata-mismatch', severity: 'error', family: 'metadata' }),
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const key of KEYS) {
        const entries = cluster.pages
          .filter((p) => p.frontMatter?.valid)
          .map((page) => ({ page, value: canonical(page.frontMatter!.data[key] ?? null) }));
        if (entries.every((e) => e.value === 'null')) continue;
        for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
          const line = (p: typeof v.outlier) => p.frontMatter?.keys.find((k) => k.key === key)?.line ?? 1;
          findings.push({
            page: v.outlier,
            line: line(v.outlier),
            message:
              `\`${key}\` is ${v.value === 'null' ? 'missing' : `\`${v.value}\``} here, ` +
              `\`${v.reference[0]!.value}\` in ${localesOf(v.reference.map((r) => r.page))}`,
            related: v.reference.map((r) => related(r.page, line(r.page))),
          });
        }
      }
    }
    return findings;
  },
};

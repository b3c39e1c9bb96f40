import { blame } from '../../align/blame.js';
import { examplePages, soapRequest } from '../examples.js';
import { localesOf, related, type Finding, type Rule } from '../rule.js';
import { canonical } from './annotation-mismatch.js';

/** Metadata that names the API, not the page's language: equal in every locale of a revision. */
const KEYS = ['ms.assetid', 'api_name', 'api_type', 'ms.topic'];

export const metadataMismatch: Rule = {
  meta: {
    id: 'metadata-mismatch',
    severity: 'error',
    family: 'metadata',
    docs: {
      description: '`ms.assetid`, `api_name`, `api_type` or `ms.topic` differ from the other locales of the same revision. Localized values (`title`, `description`, `ms.locfileid`, `ms.lasthandoff`) are expected to differ and are not compared.',
      ok: [examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest(), 'zh-CN': soapRequest() }, { 'ru-RU': { title: 'Операция', 'ms.locfileid': '"44529072"' } })],
      notOk: [{ pages: examplePages({ 'pt-BR': soapRequest(), 'ru-RU': soapRequest(), 'zh-CN': soapRequest() }, { 'ru-RU': { 'ms.topic': 'ссылка' }, 'pt-BR': { 'ms.topic': 'reference' }, 'zh-CN': { 'ms.topic': 'reference' } }), expect: [{ locale: 'ru-RU', line: 7 }] }],
    },
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const key of KEYS) {
        const entries = cluster.pages.filter((p) => p.frontMatter?.valid).map((page) => ({ page, value: canonical(page.frontMatter!.data[key] ?? null) }));
        if (entries.every((e) => e.value === 'null')) continue;
        for (const v of blame(entries, (a, b) => a === b, ctx.source)) {
          const line = (p: typeof v.outlier) => p.frontMatter?.keys.find((k) => k.key === key)?.line ?? 1;
          findings.push({
            page: v.outlier, line: line(v.outlier),
            message: `\`${key}\` is ${v.value === 'null' ? 'missing' : `\`${v.value}\``} here, \`${v.reference[0]!.value}\` in ${localesOf(v.reference.map((r) => r.page))}`,
            related: v.reference.map((r) => related(r.page, line(r.page))),
          });
        }
      }
    }
    return findings;
  },
};

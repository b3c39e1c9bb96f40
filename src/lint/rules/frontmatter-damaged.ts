import type { Page } from '../../page/page.js';
import type { Finding, Rule } from '../rule.js';
import { documented } from './docs.js';

/** Keys every Microsoft Learn page may carry: a second one on a line means two keys were joined. */
const KNOWN_KEYS = [
  'title',
  'description',
  'author',
  'manager',
  'ms.author',
  'ms.date',
  'ms.topic',
  'ms.assetid',
  'ms.prod',
  'ms.service',
  'ms.localizationpriority',
  'localization_priority',
  'ms.openlocfilehash',
  'ms.sourcegitcommit',
  'ms.translationtype',
  'ms.contentlocale',
  'ms.lasthandoff',
  'ms.locfileid',
  'api_name',
  'api_type',
  'api_location',
  'doc_type',
  'ms.audience',
];

const KNOWN: ReadonlySet<string> = new Set(KNOWN_KEYS);

function damage(page: Page, groupKeys: Set<string>, others: Page[]): Finding[] {
  // groupKeys: the ASCII keys of the group's pages (this one's included).
  const fm = page.frontMatter;
  const findings: Finding[] = [];
  for (const d of page.diagnostics) {
    if (d.ruleId === 'frontmatter-invalid') findings.push({ page, line: d.line, column: d.column, message: d.message });
  }
  if (!fm) return findings;
  const known = (key: string) => KNOWN.has(key) || groupKeys.has(key);
  const lines = fm.raw.split('\n');
  lines.forEach((text, i) => {
    const line = i + 1; // raw line 1 is the opening `---` line's remainder
    const fullWidth = text.includes('：') ? /^([^\s:：#][^:：]*?)\s*：/.exec(text) : null;
    if (fullWidth && !text.includes(': ')) {
      const rest = text.slice(text.indexOf('：') + 1);
      findings.push({
        page,
        line,
        column: fullWidth[1]!.length + 1,
        message: `key \`${fullWidth[1]}\` is followed by a full-width colon \`：\`: YAML reads the whole line as text`,
        fix: {
          authority: 'YAML syntax (a key ends with `: `)',
          edits: [{ kind: 'replace', line, column: 1, old: '：', text: /^\s/.test(rest) ? ':' : ': ' }],
        },
      });
      return;
    }
    const key = /^([\w.-]+):\s/.exec(text);
    // A quoted value may say anything; only a bare value that runs into another key is damage.
    const value = key ? text.slice(key[0].length) : '';
    if (key && value.includes(':') && !/^["']/.test(value.trim())) {
      for (const m of value.matchAll(/(?:^|\s)([\w.-]+):\s/g)) {
        if (known(m[1]!) && m[1] !== key[1]) {
          findings.push({
            page,
            line,
            column: (m.index ?? 0) + key[0].length + 2,
            message: `two keys on one line: \`${m[1]}:\` follows the value of \`${key[1]}\``,
            fix: { authority: '', edits: [], notFixed: 'where the first value ends is not repaired' },
          });
          break;
        }
      }
    }
  });
  // The keys the other locales have and this page lacks: one of them is what a translated key was.
  let lacking: string[] | undefined;
  const lackingKeys = () => {
    const own = new Set(fm.keys.map((k) => k.key));
    return [...groupKeys].filter(
      (k) => !own.has(k) && others.length > 0 && others.every((p) => p.frontMatter?.keys.some((x) => x.key === k)),
    );
  };
  for (const k of fm.keys) {
    if (!/[^\x20-\x7e]/.test(k.key)) continue;
    lacking ??= lackingKeys();
    const translated = fm.keys.filter((x) => /[^\x20-\x7e]/.test(x.key)).length;
    findings.push({
      page,
      line: k.line,
      message: `front-matter key \`${k.key}\` is not ASCII: translated? (keys are identifiers)`,
      fix:
        lacking.length === 1 && translated === 1
          ? {
              authority: 'the keys of the other locales',
              edits: [{ kind: 'replace', line: k.line, column: 1, old: k.key, text: lacking[0]! }],
            }
          : {
              authority: '',
              edits: [],
              notFixed:
                `the other locales lack ${lacking.length === 0 ? 'no key' : `${lacking.length} keys`} here: ` +
                'which one it was cannot be told',
            },
    });
  }
  return findings;
}

export const frontmatterDamaged: Rule = {
  meta: documented({ id: 'frontmatter-damaged', severity: 'error', family: 'metadata' }),
  check(ctx) {
    const groupKeys = new Set(
      ctx.group.pages
        .flatMap((p) => p.frontMatter?.keys.map((k) => k.key) ?? [])
        .filter((k) => /^[\x20-\x7e]+$/.test(k)),
    );
    return ctx.group.pages.flatMap((page) =>
      damage(
        page,
        groupKeys,
        ctx.group.pages.filter((p) => p !== page && p.locale !== page.locale),
      ),
    );
  },
};

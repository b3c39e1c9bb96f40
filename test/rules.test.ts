/** Every rule's documented ok / not-ok examples, run: the docs and the behaviour cannot drift apart. */
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/lint/rules/index.js';
import { lintVirtual } from './helpers/virtual.js';

describe.each(RULES.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  it('has a stable id, a default severity and a description', () => {
    expect(id).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(['error', 'warning', 'info']).toContain(rule.meta.severity);
    expect(rule.meta.docs.description.length).toBeGreaterThan(40);
    expect(rule.meta.docs.ok.length).toBeGreaterThan(0);
    expect(rule.meta.docs.notOk.length).toBeGreaterThan(0);
  });

  it.each(rule.meta.docs.ok.map((pages, i) => [i + 1, pages] as const))('stays silent on ok example %i', (_i, pages) => {
    expect(lintVirtual(pages, [rule]).filter((d) => d.ruleId === id)).toEqual([]);
  });

  it.each(rule.meta.docs.notOk.map((example, i) => [i + 1, example] as const))('reports not-ok example %i at the blamed locale and line', (_i, example) => {
    const found = lintVirtual(example.pages, [rule]).filter((d) => d.ruleId === id);
    for (const want of example.expect) {
      expect(found.map((d) => ({ locale: d.locale, line: d.line }))).toContainEqual(want);
    }
    // Nothing is blamed on a locale the example does not expect (except coverage, which names the anchor page).
    const blamed = new Set(example.expect.map((e) => e.locale));
    if (id !== 'page-missing-locale') for (const d of found) expect(blamed.has(d.locale!), `${d.locale}: ${d.message}`).toBe(true);
  });
});

describe('a rule that throws', () => {
  it('is reported as rule-failed on the group, and the other rules still run', () => {
    const pages = Object.fromEntries(['pt-BR', 'ru-RU'].map((l) => [`${l}/page.md`, `---\nms.contentlocale: ${l}\n---\n# Page\n\nSee [\`lineDrop\`](x.md).\n`]));
    pages['zh-CN/other.md'] = '---\nms.contentlocale: zh-CN\n---\n# Other\n';
    const boom: (typeof RULES)[number] = { meta: { ...RULES[0]!.meta, id: 'boom' }, check: () => { throw new RangeError('Maximum call stack size exceeded'); } };
    const found = lintVirtual(pages, [boom, ...RULES]);
    const failed = found.filter((d) => d.ruleId === 'rule-failed');
    expect(failed.map((d) => [d.file, d.severity, d.line])).toEqual([['docs/pt-BR/page.md', 'error', 1], ['docs/zh-CN/other.md', 'error', 1]]);
    expect(failed[0]!.message).toContain('rule boom failed on this page group (RangeError: Maximum call stack size exceeded)');
    // The rules after it still ran on the same groups.
    expect(found.filter((d) => d.ruleId === 'page-missing-locale').map((d) => d.file)).toContain('docs/pt-BR/page.md');
  });
});

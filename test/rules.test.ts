/**
 * Every rule's doc (rules/<id>.md) run, as remark-lint's harness runs its rule docs: each ok example
 * gives no finding, each not-ok example exactly the findings its doc lists (`locale line:column message`),
 * and a rule that repairs turns the example's pages into the doc's fixed pages (`lockstep lint --fix`).
 * So the docs and the behaviour cannot drift apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Code, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { repairTexts } from '../src/fix/memory.js';
import type { Rule, RuleDocs } from '../src/lint/rule.js';
import { parseRuleDoc, ruleDocs } from '../src/lint/rules/docs.js';
import { RULES } from '../src/lint/rules/index.js';
import { repoRoot } from './helpers/paths.js';
import { lintVirtual } from './helpers/virtual.js';

const rulesDir = path.join(repoRoot, 'rules');

/** The rules `lockstep lint --fix` repairs: each documents a fixed example, and no other rule does. */
const REPAIRING = [
  'sample-mismatch',
  'sample-damaged',
  'sample-missing',
  'annotation-mismatch',
  'link-target-mismatch',
  'anchor-mismatch',
  'frontmatter-damaged',
  'identifier-translated',
  'type-name-translated',
];

/** Every finding of linting the pages with the rule alone, as the docs list them. */
const findings = (pages: Record<string, string>, rule: Rule) =>
  lintVirtual(pages, [rule]).map(
    (d) => `${d.locale} ${d.line}${d.column === undefined ? '' : `:${d.column}`} ${d.message}`,
  );

const prefixed = (pages: Record<string, string>) =>
  Object.fromEntries(Object.entries(pages).map(([file, text]) => [`docs/${file}`, text]));

describe('rule docs', () => {
  it('every rule has a doc, and every doc a rule', () => {
    const docs = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -3));
    expect(docs.sort()).toEqual(RULES.map((r) => r.meta.id).sort());
  });

  it('are read once, when first asked for', () => {
    const rule = RULES[0]!;
    expect(rule.meta.docs).toBe(ruleDocs(rule.meta.id));
  });

  const head = '# x\n- Severity: error\n- Family: samples\n\nA description.\n\n';
  it.each([
    [`${head}## ok\n\n### a\n\n\`p.md\`\n\n\`\`\`\nopen\n`, /:13: a fence that is never closed/],
    [`${head}## ok\n\n### a\n\n\`p.md\`\nText.\n`, /:12: the page path p\.md is not followed by its fence/],
    [`${head}## ok\n\n### a\n\n\`\`\`\nx\n\`\`\`\n`, /:11: a fence with no page path/],
    [`${head}More.\n`, /:7: the description is one paragraph/],
    [`${head}## ok\n\n### a\n\n#### Findings\n`, /:11: an ok example has no findings/],
    ['# x\n- Severity: fatal\n- Family: samples\n\nA description.\n', /:2: a severity is error, warning or info/],
    ['# x\n- Family: samples\n\nA description.\n', /:1: no `- Severity:`/],
  ])('refuse what the format does not allow (%#)', (text, error) => {
    expect(() => parseRuleDoc(text, 'rules/x.md')).toThrow(error);
  });
});

/** What remark-parse reads from a doc: each page (a fence after its `path` alone on a line), each findings fence. */
function remarkRead(text: string) {
  const tree = unified().use(remarkParse).parse(text) as Root;
  const pages: [string, string][] = [];
  const findingFences: string[][] = [];
  let part = '';
  let before: RootContent | undefined;
  let description: string | null = null;
  for (const node of tree.children) {
    if (node.type === 'heading') part = toString(node);
    if (node.type === 'paragraph' && description === null && before?.type === 'list')
      description = text.slice(node.position!.start.offset, node.position!.end.offset).replace(/\n/g, ' ');
    if (node.type === 'code') {
      const label = before?.type === 'paragraph' && before.children.length === 1 ? before.children[0] : undefined;
      if (label?.type === 'inlineCode') pages.push([label.value, `${(node as Code).value}\n`]);
      else if (/^Findings/.test(part)) findingFences.push((node as Code).value.split('\n'));
    }
    before = node;
  }
  return { pages, findingFences, description };
}

describe.each(RULES.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  const docs: RuleDocs = rule.meta.docs;
  const text = readFileSync(path.join(rulesDir, `${id}.md`), 'utf8');

  it("states the rule's id, default severity and family, with a short description and why", () => {
    expect(id).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(docs.path).toBe(`rules/${id}.md`);
    expect({ id: docs.id, severity: docs.severity, family: docs.family, off: docs.defaultOff }).toEqual({
      id,
      severity: rule.meta.severity,
      family: rule.meta.family,
      off: rule.meta.defaultOff ?? false,
    });
    // The description is what reports print beside a finding: one short paragraph; the rest is in Why.
    expect(docs.description.length).toBeGreaterThan(40);
    expect(docs.description.length).toBeLessThanOrEqual(200);
    expect(docs.why.length).toBeGreaterThan(40);
    expect(docs.repair.length).toBeGreaterThan(0);
    expect(docs.ok.length).toBeGreaterThan(0);
    expect(docs.notOk.length).toBeGreaterThan(0);
    for (const example of docs.notOk) expect(example.expect.length, example.title).toBeGreaterThan(0);
  });

  it('is read by remark-parse as by the doc reader: the same pages, findings and description', () => {
    const read = remarkRead(text);
    const examples = [...docs.ok, ...docs.notOk];
    expect(read.pages).toEqual(examples.flatMap((e) => [...Object.entries(e.pages), ...Object.entries(e.fixed ?? {})]));
    expect(read.findingFences).toEqual(docs.notOk.map((e) => e.expect));
    expect(read.description).toBe(docs.description);
  });

  it.each(docs.ok.map((e) => [e.title, e] as const))('gives no finding on ok example “%s”', (_title, example) => {
    expect(findings(example.pages, rule)).toEqual([]);
  });

  it.each(docs.notOk.map((e) => [e.title, e] as const))(
    'gives exactly the documented findings on not-ok example “%s”',
    (_title, example) => {
      expect(findings(example.pages, rule)).toEqual(example.expect);
    },
  );

  it('documents a fixed example when it repairs', () => {
    expect(docs.notOk.some((e) => e.fixed)).toBe(REPAIRING.includes(id));
  });

  it.each(docs.notOk.filter((e) => e.fixed).map((e) => [e.title, e] as const))(
    'repairs “%s” to its fixed pages, and a second run changes nothing',
    (_title, example) => {
      // A rule off by default repairs when it is turned on, as the docs' `lockstep lint --fix` does.
      const rules = rule.meta.defaultOff ? { [id]: rule.meta.severity } : {};
      const texts = prefixed(example.pages);
      const fixed = prefixed(example.fixed!);
      for (const file of Object.keys(fixed)) expect(Object.keys(texts), 'a page of the example').toContain(file);
      const repaired = repairTexts(texts, { rules }, [rule]);
      for (const [file, before] of Object.entries(texts))
        expect(repaired.texts[file], file).toBe(fixed[file] ?? before);
      // The finding carried the repair, with its authority.
      const finding = repaired.diagnostics.find((d) => d.ruleId === id && d.fix?.resolved);
      expect(finding?.fix?.authority).toBeTruthy();
      expect(repairTexts(repaired.texts, { rules }, [rule]).files).toEqual([]);
    },
  );
});

describe('a rule that throws', () => {
  it('is reported as rule-failed on the group, and the other rules still run', () => {
    const page = (l: string) => `---\nms.contentlocale: ${l}\n---\n# Page\n\nSee [\`lineDrop\`](x.md).\n`;
    const pages = Object.fromEntries(['pt-BR', 'ru-RU'].map((l) => [`${l}/page.md`, page(l)]));
    pages['zh-CN/other.md'] = '---\nms.contentlocale: zh-CN\n---\n# Other\n';
    const boom: (typeof RULES)[number] = {
      meta: { ...RULES[0]!.meta, id: 'boom' },
      check: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    const found = lintVirtual(pages, [boom, ...RULES]);
    const failed = found.filter((d) => d.ruleId === 'rule-failed');
    expect(failed.map((d) => [d.file, d.severity, d.line])).toEqual([
      ['docs/pt-BR/page.md', 'error', 1],
      ['docs/zh-CN/other.md', 'error', 1],
    ]);
    expect(failed[0]!.message).toContain(
      'rule boom failed on this page group (RangeError: Maximum call stack size exceeded)',
    );
    // The rules after it still ran on the same groups.
    expect(found.filter((d) => d.ruleId === 'page-missing-locale').map((d) => d.file)).toContain('docs/pt-BR/page.md');
  });
});

/** Every repairing rule's documented fixed example, run: input, finding, output (`lockstep lint --fix`). */
import { describe, expect, it } from 'vitest';
import { repairTexts } from '../src/fix/memory.js';
import { RULES } from '../src/lint/rules/index.js';

const prefixed = (pages: Record<string, string>) =>
  Object.fromEntries(Object.entries(pages).map(([file, text]) => [`docs/${file}`, text]));

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

describe.each(RULES.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  const examples = rule.meta.docs.notOk.map((example, i) => [i + 1, example] as const).filter(([, e]) => e.fixed);
  const rules = rule.meta.defaultOff ? { [id]: rule.meta.severity } : {};

  it('documents a fixed example when it repairs', () => {
    expect(examples.length > 0).toBe(REPAIRING.includes(id));
  });

  it.each(examples)('repairs not-ok example %i to its fixed pages, and a second run changes nothing', (_i, example) => {
    const texts = prefixed(example.pages);
    const repaired = repairTexts(texts, { rules }, [rule]);
    const fixed = prefixed(example.fixed!);
    for (const [file, text] of Object.entries(texts)) expect(repaired.texts[file], file).toBe(fixed[file] ?? text);
    // The finding carried the repair, with its authority.
    const finding = repaired.diagnostics.find((d) => d.ruleId === id && d.fix?.resolved);
    expect(finding?.fix?.authority).toBeTruthy();
    expect(repairTexts(repaired.texts, { rules }, [rule]).files).toEqual([]);
  });
});

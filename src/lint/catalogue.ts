import type { Severity } from '../diagnostics/diagnostic.js';
import type { RuleFamily } from './rule.js';
import { INPUT_PROBLEM_TABLE } from './input-problems.js';
import { RULES } from './rules/index.js';

/** What a rule id means, for reporters that describe rules (SARIF rule metadata, the HTML legend). */
export interface RuleDescription {
  id: string;
  severity: Severity;
  family: RuleFamily;
  description: string;
}

const INPUT_PROBLEMS: readonly RuleDescription[] = INPUT_PROBLEM_TABLE.map(([id, severity, description]) => ({
  id,
  severity,
  family: 'input' as const,
  description,
}));

const CATALOGUE = new Map<string, RuleDescription>([
  ...INPUT_PROBLEMS.map((d) => [d.id, d] as const),
  ...RULES.map(
    (r) =>
      [
        r.meta.id,
        { id: r.meta.id, severity: r.meta.severity, family: r.meta.family, description: r.meta.docs.description },
      ] as const,
  ),
]);

/** Every rule id lockstep can report, with its meaning. */
export const ALL_RULES: readonly RuleDescription[] = [...CATALOGUE.values()];

/** The description of a rule id; an id nobody catalogued still gets one (reporters never fail on it). */
export function describeRule(id: string): RuleDescription {
  return CATALOGUE.get(id) ?? { id, severity: 'warning', family: 'input', description: id };
}

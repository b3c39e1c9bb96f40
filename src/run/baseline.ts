import { countBySeverity } from '../diagnostics/diagnostic.js';
import { diagnosticFingerprints } from '../diagnostics/fingerprint.js';
import type { LintResult } from './lint-run.js';
import { LockstepError } from '../util/errors.js';

/**
 * A lint baseline: the findings a team has accepted for now, so that a gate fails only on new ones.
 * Findings are recognised by fingerprint (rule, page, locale, sample, message without numbers), so
 * they stay known when lines move; the other fields are there for people reading the file.
 */
export interface Baseline {
  version: 1;
  findings: { fingerprint: string; ruleId: string; file: string; line: number; message: string }[];
}

export class BaselineError extends LockstepError {}

export function createBaseline(result: LintResult): Baseline {
  const prints = diagnosticFingerprints(result.diagnostics);
  return {
    version: 1,
    findings: result.diagnostics.map((d, i) => ({
      fingerprint: prints[i]!,
      ruleId: d.ruleId,
      file: d.file,
      line: d.line,
      message: d.message,
    })),
  };
}

export function parseBaseline(text: string, name: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`baseline ${name} is not JSON: ${(error as Error).message}`);
  }
  const findings = (data as Baseline | null)?.findings;
  if (
    (data as Baseline | null)?.version !== 1 ||
    !Array.isArray(findings) ||
    !findings.every((f) => typeof f?.fingerprint === 'string')
  ) {
    throw new BaselineError(
      `baseline ${name} is not a lockstep baseline (version 1 with findings[].fingerprint); ` +
        'write one with --write-baseline',
    );
  }
  return data as Baseline;
}

/** The result without the findings the baseline knows; `summary.baselined` counts what was left out. */
export function applyBaseline(result: LintResult, baseline: Baseline): LintResult {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  const prints = diagnosticFingerprints(result.diagnostics);
  const diagnostics = result.diagnostics.filter((_, i) => !known.has(prints[i]!));
  const counts = countBySeverity(diagnostics);
  return {
    ...result,
    diagnostics,
    // Kept aside, not dropped: the dashboard counts and shows them, and `merge` carries them.
    baselined: result.diagnostics.filter((_, i) => known.has(prints[i]!)),
    summary: {
      ...result.summary,
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      baselined: result.diagnostics.length - diagnostics.length,
    },
  };
}

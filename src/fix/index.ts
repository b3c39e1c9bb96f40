/** The repair stage (`lockstep lint --fix`): findings' planned repairs resolved, verified, diffed, written. */
export { damagedSpan, type Span } from './span.js';
export {
  applyEdits,
  fixText,
  resolvePlan,
  toTextEdits,
  type FixText,
  type OffsetEdit,
  type Resolution,
} from './resolve.js';
export { unifiedDiff, unifiedDiffOf } from './diff.js';
export { reasonKey, repairInPasses, type PassesResult, type PassOptions } from './passes.js';
export {
  planRepairs,
  markStale,
  resolveFixes,
  resolvePlans,
  type FileChange,
  type PageCount,
  type RepairResult,
  type Verifier,
} from './repair.js';
export { groupVerifier, type VerifyOptions } from './verify.js';
export { fixFiles, type FixFiles } from './files.js';
export { repairTexts, type MemoryRepair } from './memory.js';
export { fixDryRun, fixInPlace, wouldFix, type FixOutcome, type FixRunOptions, type LintedSet } from './run.js';

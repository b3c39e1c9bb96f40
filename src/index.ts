/**
 * lockstep's library API. Data flows one way:
 * files → Page (front matter, structure, annotations) → Sample (typed XML/HTTP/JSON)
 * → groups across locales → diagnostics (lint) and conformance → reporters. The CLI is a thin
 * layer over this; this module only re-exports the modules that do the work.
 */
import { discoverFiles } from './discover/discover.js';
import { groupPages, type PageGroup } from './group/group.js';
import { lintGroups, type LintOptions } from './lint/lint.js';
import { loadPage, type Page, type PageOptions } from './page/page.js';

export { loadPages, type LoadOptions, type LoadResult } from './group/load.js';
export {
  lint,
  lintLoaded,
  shardOf,
  changedFiles,
  GitError,
  type LintResult,
  type LintRunOptions,
  type LintProgress,
} from './run/lint-run.js';
export { groupPages, loadPage, discoverFiles, lintGroups };
export { RULES } from './lint/rules/index.js';
export type { LintOptions };
export { buildPage } from './page/page.js';
export { parseXmlSample } from './formats/xml.js';
export { parseHttpSample } from './formats/http.js';
export { parseJsonSample } from './formats/json.js';
export { extractSamples } from './sample/extract.js';
export type { Page, PageGroup, PageOptions };
export type { Diagnostic, Severity, FixPlan, PlannedEdit, TextEdit } from './diagnostics/diagnostic.js';
export type { Sample, SampleKind, SampleRole } from './sample/sample.js';
export type { SampleRef, Capture, Scenario, ScenarioStep } from './conformance/scenario.js';
export type { ClientLimits } from './conformance/client.js';
export {
  runConformance,
  type ConformanceOptions,
  type ConformanceReport,
  type CaseResult,
  type CaseStatus,
} from './conformance/run.js';
export type { Check, Mismatch } from './conformance/match.js';
export { render, FORMATS, type Format, type RenderOptions } from './report/index.js';
export { collectExcerpts } from './report/excerpts.js';
export type { RunReport, ExcerptWindow, FixSummary } from './report/model.js';
export {
  repairTexts,
  repairInPasses,
  planRepairs,
  resolveFixes,
  groupVerifier,
  fixFiles,
  unifiedDiff,
  unifiedDiffOf,
  damagedSpan,
  type MemoryRepair,
  type PassesResult,
  type RepairResult,
  type FileChange,
} from './fix/index.js';
export {
  groupVocabulary,
  mergeVocabularies,
  pageTerms,
  isProtected,
  type Vocabulary,
  type VocabularyTerm,
} from './vocabulary/vocabulary.js';
export { sampleTokens, type SampleToken, type TermOrigin } from './vocabulary/tokens.js';
export { glossary, ORIGINS, type Glossary, type GlossaryTerm, type GlossaryOptions } from './glossary/glossary.js';

import type { Rule } from '../rule.js';
import { anchorMismatch } from './anchor-mismatch.js';
import { exampleInconsistent } from './example-inconsistent.js';
import { annotationMismatch } from './annotation-mismatch.js';
import { frontmatterDamaged } from './frontmatter-damaged.js';
import { identifierTranslated } from './identifier-translated.js';
import { linkTargetMismatch } from './link-target-mismatch.js';
import { metadataMismatch } from './metadata-mismatch.js';
import { pageMissingLocale } from './page-missing-locale.js';
import { sampleDamaged } from './sample-damaged.js';
import { sampleExtra } from './sample-extra.js';
import { sampleLangMismatch } from './sample-lang-mismatch.js';
import { sampleMalformed } from './sample-malformed.js';
import { sampleMismatch } from './sample-mismatch.js';
import { sampleMissing } from './sample-missing.js';
import { sampleUnpaired } from './sample-unpaired.js';
import { staleTranslation } from './stale-translation.js';
import { typeNameTranslated } from './type-name-translated.js';

/** Every lint rule, in the order their findings are computed. */
export const RULES: readonly Rule[] = [
  staleTranslation,
  sampleMalformed,
  sampleMissing,
  sampleExtra,
  sampleMismatch,
  sampleDamaged,
  sampleLangMismatch,
  annotationMismatch,
  sampleUnpaired,
  exampleInconsistent,
  linkTargetMismatch,
  anchorMismatch,
  frontmatterDamaged,
  metadataMismatch,
  identifierTranslated,
  typeNameTranslated,
  pageMissingLocale,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

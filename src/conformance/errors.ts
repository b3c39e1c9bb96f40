import { LockstepError } from '../util/errors.js';

/**
 * A scenario file that cannot be used (a usage error: the CLI exits 2). Apart from scenario.ts so the CLI can tell it
 * without loading the scenario parsers.
 */
export class ScenarioError extends LockstepError {}

/** A conformance option that cannot be used (a callback address already taken): a usage error, before any request. */
export class ConformanceOptionError extends LockstepError {}

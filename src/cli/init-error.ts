import { UsageError } from './errors.js';

/**
 * Inputs `lockstep init` cannot work from (a path that is not there, a folder it cannot write): a usage
 * error, so the CLI prints the message on one line and exits 2. Apart from init.ts so the CLI can tell it
 * without loading init.
 */
export class InitError extends UsageError {}

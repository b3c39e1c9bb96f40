import { LockstepError } from '../util/errors.js';

/** A command line that cannot be run as given: one line on stderr, exit 2, before any work. */
export class UsageError extends LockstepError {}

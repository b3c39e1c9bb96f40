/**
 * What the user asked for cannot be done as asked (an option, a config, an input or output path, a
 * baseline, a scenario): the CLI prints `lockstep: ` and the message on one line and exits with the
 * error's code, never with a stack. Anything else that reaches the CLI is lockstep's own bug.
 */
export class LockstepError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }

  /** The line the CLI prints after `lockstep: `. */
  describe(): string {
    return this.message;
  }
}

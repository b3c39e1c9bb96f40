import type { StoppedStep } from './check.js';

/** Default of `--page-timeout`: real pages parse in milliseconds; the largest real ones in well under a second. */
export const DEFAULT_PAGE_TIMEOUT_MS = 60_000;

export interface WatchedTask {
  /** The cell to hand the task (`CheckTask.watch`): the task counts its steps there. */
  cell: Int32Array;
  /** Aborts when one step of the task has run longer than the limit. */
  signal: AbortSignal;
  /** The step that overran, once `signal` has aborted. */
  stopped(): StoppedStep | null;
  /** Stop watching (the task settled). */
  done(): void;
}

/**
 * Stops worker tasks whose current step (one page's parse, or one group's checks) runs longer than
 * `limitMs`. Markdown can make micromark superlinear (lists nested hundreds deep: cubic; thousands
 * of unclosed brackets in a paragraph: quadratic), and synchronous parsing cannot be interrupted
 * from inside: so the worker that runs it is stopped, and the caller tries the task again with that
 * step left out. A step's clock starts when the worker reaches it, so time spent queued never counts.
 */
export class Watchdog {
  private readonly watched = new Set<{
    cell: Int32Array;
    seen: number;
    since: number;
    controller: AbortController;
    step: StoppedStep | null;
  }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly limitMs: number) {}

  watch(): WatchedTask {
    const entry = {
      cell: new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)),
      seen: 0,
      since: 0,
      controller: new AbortController(),
      step: null as StoppedStep | null,
    };
    this.watched.add(entry);
    this.timer ??= setInterval(() => this.tick(), Math.max(10, Math.min(1000, this.limitMs / 4))).unref();
    return {
      cell: entry.cell,
      signal: entry.controller.signal,
      stopped: () => entry.step,
      done: () => {
        this.watched.delete(entry);
        if (this.watched.size === 0 && this.timer) {
          clearInterval(this.timer);
          this.timer = null;
        }
      },
    };
  }

  private tick(): void {
    const now = performance.now();
    for (const entry of this.watched) {
      const steps = Atomics.load(entry.cell, 0);
      if (steps === 0 || entry.step) continue; // not started yet (queued), or already stopped
      if (steps !== entry.seen) {
        entry.seen = steps;
        entry.since = now;
        continue;
      }
      if (now - entry.since <= this.limitMs) continue;
      // The limit, not the time measured, goes into the report: the same run reports the same text.
      entry.step = { group: Atomics.load(entry.cell, 1), member: Atomics.load(entry.cell, 2), afterMs: this.limitMs };
      entry.controller.abort();
    }
  }
}

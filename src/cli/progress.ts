/**
 * Progress on one line of a terminal. `lint()` reports counts through its `onProgress` option; the
 * CLI shows them with `createProgressBar(process.stderr)`, and a conformance run its cases with
 * `createStatusLine`, only when stderr is a TTY and CI is not set (`shouldShowProgress`).
 */
import type { LintProgress } from '../run/lint-run.js';
import { fitLine } from './messages.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A progress line belongs on an interactive terminal only: never in CI or when stderr is a file or pipe. */
export function shouldShowProgress(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env['CI'] && env['TERM'] !== 'dumb';
}

/** `1:05`, `12:00:03`; `--:--` when unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** A piece of a progress line; when the line is too wide, pieces with the lowest `keep` go first. */
interface Piece {
  text: string;
  keep: number;
}

/** The pieces, in order, with the least important dropped until the line fits `room` columns. */
function fit(pieces: Piece[], room: number): string {
  const kept = [...pieces];
  const width = () => kept.reduce((n, p) => n + [...p.text].length, 0);
  while (width() > room && kept.length > 1) {
    const least = kept.reduce((min, p) => (p.keep < min.keep ? p : min));
    kept.splice(kept.indexOf(least), 1);
  }
  const text = kept
    .map((p) => p.text)
    .join('')
    .replace(/^, /, '');
  const chars = [...text];
  return chars.length > room ? `${chars.slice(0, Math.max(1, room - 1)).join('')}…` : text;
}

/**
 * The text of a progress line (no control characters): a bar, the phase's counts, its rate and
 * the time left at that rate, cut to `width` columns by leaving out what matters least (workers,
 * cached counts, the bar) before the counts and the ETA. `rate` is items per second as measured
 * lately (createProgressBar measures it); without one, the phase's average so far.
 */
export function progressLine(p: LintProgress, phaseStartedMs: number, width = 80, rate?: number): string {
  const bar = (done: number, total: number, size = 20) => {
    const filled = total > 0 ? Math.min(size, Math.floor((done / total) * size)) : size;
    return `[${'#'.repeat(filled)}${'-'.repeat(size - filled)}] `;
  };
  const elapsed = Math.max(0, p.elapsedMs - phaseStartedMs);
  const rateAndEta = (done: number, total: number, unit: string): Piece[] => {
    const perSecond = rate ?? (done === 0 || elapsed < 250 ? undefined : done / (elapsed / 1000));
    if (perSecond === undefined || !(perSecond > 0))
      return [
        { text: `, ${unit}/s …`, keep: 5 },
        { text: ', ETA --:--', keep: 8 },
      ];
    return [
      { text: `, ${n(Math.round(perSecond))} ${unit}/s`, keep: 5 },
      { text: `, ETA ${formatDuration(((total - done) / perSecond) * 1000)}`, keep: 8 },
    ];
  };
  const room = Math.max(10, width - 1);
  if (p.phase === 'reading') {
    return fit(
      [
        { text: bar(p.files.done, p.files.total), keep: 3 },
        { text: `reading ${n(p.files.done)}/${n(p.files.total)} files`, keep: 9 },
        ...rateAndEta(p.files.done, p.files.total, 'files'),
      ],
      room,
    );
  }
  if (p.phase === 'checking') {
    return fit(
      [
        { text: bar(p.groups.done, p.groups.total), keep: 3 },
        { text: `checking ${n(p.groups.done)}/${n(p.groups.total)} groups`, keep: 9 },
        ...(p.groups.cached > 0 ? [{ text: ` (${n(p.groups.cached)} cached)`, keep: 1 }] : []),
        { text: `, ${n(p.pages.done)}/${n(p.pages.total)} pages parsed`, keep: 4 },
        ...rateAndEta(p.pages.done, p.pages.total, 'pages'),
        ...(p.workers > 0 ? [{ text: `, ${p.workers} workers`, keep: 2 }] : []),
      ],
      room,
    );
  }
  return fit(
    [
      {
        text: `${n(p.files.total)} files, ${n(p.groups.total)} groups checked in ${formatDuration(p.elapsedMs)}`,
        keep: 9,
      },
    ],
    room,
  );
}

/** How far back the measured rate looks: long enough to smooth batches, short enough to follow a change of pace. */
const RATE_WINDOW_MS = 5000;

/**
 * Items per second lately: over the last RATE_WINDOW_MS, and never from before the first item was
 * done, so that the start (workers spinning up, the first batch in flight) does not count as a
 * slow rate: averaged from the phase's start, the early ETA of a cold Exchange run was four times
 * the real time. Undefined until two samples a little apart show progress.
 */
export function measuredRate(samples: readonly { t: number; done: number }[]): number | undefined {
  const last = samples.at(-1);
  if (!last) return undefined;
  const from = samples.find((s) => s.done > 0 && s.t >= last.t - RATE_WINDOW_MS);
  if (!from || last.t - from.t < 250 || last.done <= from.done) return undefined;
  return (last.done - from.done) / ((last.t - from.t) / 1000);
}

export interface ProgressBar {
  /** Give the latest counts; the line is redrawn at most every `intervalMs` (and on a phase change). */
  update(p: LintProgress): void;
  /** Erase the line (the run's report follows on a clean line). */
  done(): void;
}

/**
 * Draw progress on one line of `stream`, redrawn in place with `\r` and erase-to-end-of-line.
 * `now` is injectable for tests.
 */
export function createProgressBar(
  stream: ProgressStream,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressBar {
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let lastDraw = -Infinity;
  let phase: LintProgress['phase'] | null = null;
  let phaseStarted = 0;
  let drawn = false;
  let samples: { t: number; done: number }[] = [];
  return {
    update(p) {
      if (p.phase !== phase) {
        phase = p.phase;
        phaseStarted = p.elapsedMs;
        lastDraw = -Infinity;
        samples = [];
      }
      // Every update is a sample (not only those drawn), so the rate is measured on all of them.
      samples.push({ t: p.elapsedMs, done: p.phase === 'reading' ? p.files.done : p.pages.done });
      while (samples.length > 2 && samples[1]!.t < p.elapsedMs - 2 * RATE_WINDOW_MS) samples.shift();
      const t = now();
      if (t - lastDraw < interval && p.phase !== 'done') return;
      lastDraw = t;
      // Read at each draw: the terminal may have been resized since the run began.
      stream.write(`\r${progressLine(p, phaseStarted, stream.columns ?? 80, measuredRate(samples))}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

export interface StatusLine {
  /** Replace the line's text (cut to the terminal's width, read at each draw). */
  update(text: string): void;
  /** Erase the line. */
  done(): void;
}

/** One line of free text redrawn in place: a conformance run's `[done/total] case` line. */
export function createStatusLine(stream: ProgressStream): StatusLine {
  let drawn = false;
  return {
    update(text) {
      stream.write(`\r\x1b[K${fitLine(text, stream.columns ?? 80)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

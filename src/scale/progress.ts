/**
 * Progress of a lint run, and a one-line renderer for a terminal. `lint()` reports counts through
 * its `onProgress` option; the CLI shows them with `createProgressBar(process.stderr)` only when
 * stderr is a TTY and CI is not set (`shouldShowProgress`).
 */
export interface LintProgress {
  /** `reading`: files are read and hashed and their front matter identified; `checking`: groups are parsed and checked; `done`: the run is over. */
  phase: 'reading' | 'checking' | 'done';
  /** Files identified / discovered; `cached`: of those, taken from the cache by their unchanged stat, without reading them. */
  files: { done: number; total: number; cached: number };
  /** Page groups checked (parsed or found in the cache) / planned. */
  groups: { done: number; total: number; cached: number };
  /** Pages parsed so far / pages that need parsing (groups not in the cache). */
  pages: { done: number; total: number };
  /** Worker threads checking groups (0: the main thread). */
  workers: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

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

/**
 * The text of a progress line (no control characters): a bar, the phase's counts, its rate and
 * the time left at that rate. `rate` is items per second over the phase so far.
 */
export function progressLine(p: LintProgress, phaseStartedMs: number, width = 80): string {
  const bar = (done: number, total: number, size = 20) => {
    const filled = total > 0 ? Math.min(size, Math.floor((done / total) * size)) : size;
    return `[${'#'.repeat(filled)}${'-'.repeat(size - filled)}]`;
  };
  const elapsed = Math.max(0, p.elapsedMs - phaseStartedMs);
  const rateAndEta = (done: number, total: number, unit: string) => {
    if (done === 0 || elapsed < 250) return `${unit}/s …, ETA --:--`;
    const rate = done / (elapsed / 1000);
    return `${n(Math.round(rate))} ${unit}/s, ETA ${formatDuration(((total - done) / rate) * 1000)}`;
  };
  let text: string;
  if (p.phase === 'reading') {
    text = `${bar(p.files.done, p.files.total)} reading ${n(p.files.done)}/${n(p.files.total)} files, ${rateAndEta(p.files.done, p.files.total, 'files')}`;
  } else if (p.phase === 'checking') {
    const cached = p.groups.cached > 0 ? ` (${n(p.groups.cached)} cached)` : '';
    const workers = p.workers > 0 ? `, ${p.workers} workers` : '';
    text = `${bar(p.groups.done, p.groups.total)} checking ${n(p.groups.done)}/${n(p.groups.total)} groups${cached}, ${n(p.pages.done)}/${n(p.pages.total)} pages parsed, ${rateAndEta(p.pages.done, p.pages.total, 'pages')}${workers}`;
  } else {
    text = `${n(p.files.total)} files, ${n(p.groups.total)} groups checked in ${formatDuration(p.elapsedMs)}`;
  }
  return text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text;
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
export function createProgressBar(stream: ProgressStream, options: { intervalMs?: number; now?: () => number } = {}): ProgressBar {
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let lastDraw = -Infinity;
  let phase: LintProgress['phase'] | null = null;
  let phaseStarted = 0;
  let drawn = false;
  return {
    update(p) {
      if (p.phase !== phase) { phase = p.phase; phaseStarted = p.elapsedMs; lastDraw = -Infinity; }
      const t = now();
      if (t - lastDraw < interval && p.phase !== 'done') return;
      lastDraw = t;
      stream.write(`\r${progressLine(p, phaseStarted, stream.columns ?? 80)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

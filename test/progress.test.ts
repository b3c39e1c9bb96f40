/** The progress line (src/cli/progress.ts) and the worker-count policy (src/run/pool.ts). */
import { describe, expect, it } from 'vitest';
import { lint, type LintProgress } from '../src/index.js';
import { WORKER_THRESHOLD_PAGES, workerCount } from '../src/run/pool.js';
import {
  createProgressBar,
  formatDuration,
  measuredRate,
  progressLine,
  shouldShowProgress,
} from '../src/cli/progress.js';
import { repoRoot } from './helpers/paths.js';

const at = (over: Partial<LintProgress>): LintProgress => ({
  phase: 'checking',
  files: { done: 8978, total: 8978, cached: 0 },
  groups: { done: 0, total: 2246, cached: 0 },
  pages: { done: 0, total: 8978 },
  workers: 2,
  elapsedMs: 0,
  ...over,
});

/** A fake terminal: what was written, and a clock the test moves. */
function terminal(columns = 200) {
  const writes: string[] = [];
  let now = 0;
  return {
    stream: {
      isTTY: true,
      columns,
      write: (t: string) => {
        writes.push(t);
        return true;
      },
    },
    writes,
    tick: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('progress line', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(43_203_000)).toBe('12:00:03');
    expect(formatDuration(Infinity)).toBe('--:--');
  });

  it('shows files read while reading, with rate and ETA', () => {
    const line = progressLine(
      at({ phase: 'reading', files: { done: 2000, total: 8000, cached: 0 }, elapsedMs: 1500 }),
      500,
    );
    // 2,000 files in 1 s since the phase began: 2,000 files/s, 6,000 left: 3 s.
    expect(line).toBe('[#####---------------] reading 2,000/8,000 files, 2,000 files/s, ETA 0:03');
  });

  it('shows groups checked, cached groups, pages parsed, the parse rate, ETA and workers while checking', () => {
    const line = progressLine(
      at({ groups: { done: 1123, total: 2246, cached: 100 }, pages: { done: 4000, total: 8000 }, elapsedMs: 12_000 }),
      2_000,
      200,
    );
    expect(line).toBe(
      '[##########----------] checking 1,123/2,246 groups (100 cached), 4,000/8,000 pages parsed, 400 pages/s, ' +
        'ETA 0:10, 2 workers',
    );
  });

  it('has no rate or ETA before anything is done', () => {
    expect(progressLine(at({ elapsedMs: 5000 }), 0, 200)).toContain('pages/s …, ETA --:--');
  });

  it('fits the terminal width by leaving out what matters least, never the counts or the ETA', () => {
    const p = at({
      groups: { done: 1123, total: 2246, cached: 100 },
      pages: { done: 4000, total: 8000 },
      elapsedMs: 12_000,
    });
    const full = progressLine(p, 2_000, 200);
    expect(full.length).toBeGreaterThan(79);
    for (const width of [80, 60, 40]) {
      const line = progressLine(p, 2_000, width);
      expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width - 1);
      expect(line).toContain('checking 1,123/2,246 groups');
      expect(line).toContain('ETA 0:10');
      expect(line).not.toContain('…');
    }
    // 80 columns keep the pages and the rate; workers, cached counts and the bar go first.
    expect(progressLine(p, 2_000, 80)).toBe(
      'checking 1,123/2,246 groups, 4,000/8,000 pages parsed, 400 pages/s, ETA 0:10',
    );
    expect(progressLine(p, 2_000, 40)).toBe('checking 1,123/2,246 groups, ETA 0:10');
    // Reading at 80 columns fits whole.
    expect(
      progressLine(at({ phase: 'reading', files: { done: 2000, total: 8000, cached: 0 }, elapsedMs: 1500 }), 500, 80),
    ).toContain('files/s, ETA 0:03');
  });

  it('takes the ETA from the rate measured lately, not from a slow start (workers spinning up)', () => {
    // 2 s with nothing done, then 1,000 pages/s: the average since the start says 500/s.
    const samples = [
      { t: 0, done: 0 },
      { t: 1000, done: 0 },
      { t: 2000, done: 0 },
      { t: 2100, done: 100 },
      { t: 3000, done: 1000 },
      { t: 4100, done: 2100 },
    ];
    expect(measuredRate(samples)).toBeCloseTo(1000, 0);
    const p = at({ pages: { done: 2100, total: 20_100 }, elapsedMs: 4100 });
    expect(progressLine(p, 0, 200, measuredRate(samples))).toContain('1,000 pages/s, ETA 0:18');
    expect(progressLine(p, 0, 200)).toContain('ETA 0:35'); // the average: twice the real time
    expect(measuredRate([{ t: 0, done: 0 }])).toBeUndefined();
    expect(
      measuredRate([
        { t: 0, done: 0 },
        { t: 5000, done: 0 },
      ]),
    ).toBeUndefined();
    // The bar draws with the measured rate.
    const t = terminal(200);
    const bar = createProgressBar(t.stream, { now: t.now });
    for (const sample of samples) {
      t.tick(200);
      bar.update(at({ pages: { done: sample.done, total: 20_100 }, elapsedMs: sample.t }));
    }
    expect(t.writes.at(-1)).toContain('ETA 0:18');
  });

  it('sums up when done', () => {
    expect(progressLine(at({ phase: 'done', elapsedMs: 75_000 }), 0)).toBe('8,978 files, 2,246 groups checked in 1:15');
  });
});

describe('progress bar', () => {
  it('redraws one line in place, at most every 100 ms, and erases it when done', () => {
    const t = terminal();
    const bar = createProgressBar(t.stream, { now: t.now });
    bar.update(at({ phase: 'reading', files: { done: 0, total: 10, cached: 0 } }));
    t.tick(50);
    bar.update(at({ phase: 'reading', files: { done: 5, total: 10, cached: 0 }, elapsedMs: 50 })); // too soon: skipped
    t.tick(60);
    bar.update(at({ phase: 'reading', files: { done: 10, total: 10, cached: 0 }, elapsedMs: 500 }));
    t.tick(1);
    bar.update(at({ groups: { done: 0, total: 4, cached: 0 }, elapsedMs: 501 })); // a new phase draws at once
    expect(t.writes).toHaveLength(3);
    for (const w of t.writes) expect(w).toMatch(/^\r.*\x1b\[K$/);
    expect(t.writes[1]).toContain('reading 10/10 files');
    expect(t.writes[2]).toContain('checking 0/4 groups');
    bar.done();
    expect(t.writes.at(-1)).toBe('\r\x1b[K');
  });

  it('writes nothing on done() when it never drew', () => {
    const t = terminal();
    createProgressBar(t.stream, { now: t.now }).done();
    expect(t.writes).toEqual([]);
  });

  it('shows only on a terminal, and never in CI', () => {
    expect(shouldShowProgress({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(shouldShowProgress({ isTTY: false, write: () => true }, {})).toBe(false);
    expect(shouldShowProgress({ write: () => true }, {})).toBe(false);
    expect(shouldShowProgress({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(shouldShowProgress({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
  });

  it('is fed by lint(): files, then groups, then done, with counts that add up', async () => {
    const events: LintProgress[] = [];
    const result = await lint(['docs'], { cwd: repoRoot, onProgress: (p) => events.push(p) });
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['reading', 'checking', 'done']);
    const last = events.at(-1)!;
    expect(last.files).toEqual({ done: 11, total: 11, cached: 0 });
    expect(last.groups).toEqual({ done: result.summary.pageGroups, total: result.summary.pageGroups, cached: 0 });
    expect(last.pages).toEqual({ done: 11, total: 11 });
    expect(last.workers).toBe(0); // 11 pages: not worth starting workers
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.elapsedMs).toBeGreaterThanOrEqual(events[i - 1]!.elapsedMs);
    // The renderer takes lint's events as they come.
    const t = terminal();
    const bar = createProgressBar(t.stream, { now: t.now });
    for (const e of events) {
      t.tick(200);
      bar.update(e);
    }
    expect(t.writes.at(-1)).toMatch(/11 files, 4 groups checked in/);
  });
});

describe('worker count', () => {
  it('uses one worker per core when there is enough to parse, none for small runs or one core', () => {
    expect(workerCount(undefined, 9000, 2)).toBe(2);
    expect(workerCount(undefined, 9000, 8)).toBe(8);
    expect(workerCount(undefined, WORKER_THRESHOLD_PAGES - 1, 8)).toBe(0);
    expect(workerCount(undefined, 9000, 1)).toBe(0);
    expect(workerCount(undefined, 0, 8)).toBe(0);
  });

  it('takes an explicit count (0 = main thread), never more than there are pages', () => {
    expect(workerCount(0, 9000, 8)).toBe(0);
    expect(workerCount(3, 9000, 2)).toBe(3);
    expect(workerCount(4, 2, 8)).toBe(2);
    expect(workerCount(4, 0, 8)).toBe(0);
  });
});

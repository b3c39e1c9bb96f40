import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { poolRunner } from '../src/run/pool.js';
import {
  defaultsInListing,
  setOnCommandLine,
  TUNED_FLAGS,
  untuneAfterPool,
  V8_HOLDING_THE_FLAGS,
} from '../src/run/v8-tuning.js';

// A flag given on node's command line is the user's: not set, not put back.
const tuned = TUNED_FLAGS.filter((flag) => !setOnCommandLine(flag.name));
const names = tuned.map((flag) => flag.name);
const listing = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
// The tuned flags this node's V8 lists: one it does not list is never set (Node 22's V8 has no `interrupt-budget`).
const listed = defaultsInListing(listing, names);
const settable = tuned.filter((flag) => listed.has(flag.name));
const settableNames = settable.map((flag) => flag.name);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('V8 flags while workers are up', () => {
  it("reads each tuned flag's default from this node's own listing", () => {
    const all = TUNED_FLAGS.map((flag) => flag.name);
    const defaults = defaultsInListing(listing, [...all, 'no-such-flag']);
    expect([...defaults.keys()].filter((name) => !all.includes(name))).toEqual([]);
    // A V8 the flags are set on before its listing comes lists every one of them (else V8 prints an error for one).
    const setFirst = V8_HOLDING_THE_FLAGS.has(Number.parseInt(process.versions.v8, 10));
    expect(!setFirst || defaults.size === all.length).toBe(true);
    expect(defaults.get('heap-growing-percent')).toBe(0);
    expect(defaults.get('max-inlined-bytecode-size-cumulative')).toBeGreaterThan(300);
    // A name that another flag's begins with is not that flag (`--interrupt-budget-for-feedback-allocation`); a V8
    // that lists no `--interrupt-budget` (Node 22's) has no default for it.
    const budget = /--interrupt-budget \(.*\)\n\s+type: int\s+default: --interrupt-budget=(\d+)/.exec(listing);
    expect(defaults.get('interrupt-budget')).toBe(budget ? Number(budget[1]) : undefined);
  });

  it("leaves a flag set on node's command line to the user, in either spelling", () => {
    expect(setOnCommandLine('interrupt-budget', ['--interrupt_budget=1000'])).toBe(true);
    expect(setOnCommandLine('interrupt-budget', ['--interrupt-budget'])).toBe(true);
    expect(setOnCommandLine('interrupt-budget', ['--interrupt-budget-for-feedback-allocation=9'])).toBe(false);
    expect(setOnCommandLine('heap-growing-percent', ['--max-old-space-size=100', 'x.js'])).toBe(false);
  });

  it('sets them as the first pool starts and puts back the listed defaults as the last one closes', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString');
    const first = poolRunner(1);
    const second = poolRunner(1);
    // On a V8 that sets them before its listing comes, only once the listing is read (pool.ts does not wait for it).
    await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(settable.length));
    expect(set.mock.calls.map(([flag]) => flag)).toEqual(settable.map((f) => `--${f.name}=${f.value}`));
    await first.close();
    expect(set).toHaveBeenCalledTimes(settable.length);
    await second.close();
    await second.close(); // a second close of the same pool puts nothing back twice
    expect(set.mock.calls.slice(settable.length).map(([flag]) => flag)).toEqual(
      settableNames.map((name) => `--${name}=${listed.get(name)}`),
    );
    await untuneAfterPool(); // one close too many sets nothing, and the next pool still sets them
    expect(set).toHaveBeenCalledTimes(2 * settable.length);
    await poolRunner(1).close();
    expect(set).toHaveBeenCalledTimes(4 * settable.length);
  });

  it('puts the flags back when the pool cannot be made', async () => {
    vi.resetModules();
    vi.doMock('tinypool', () => ({
      default: class {
        constructor() {
          throw new Error('no threads here');
        }
      },
    }));
    try {
      const fresh = await import('../src/run/pool.js');
      const set = vi.spyOn(v8, 'setFlagsFromString');
      expect(() => fresh.poolRunner(1)).toThrow('no threads here');
      // Put back once this node's listing is read, which the pool's start did not wait for.
      await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(2 * settable.length));
      expect(set.mock.calls.map(([flag]) => flag)).toEqual([
        ...settable.map((f) => `--${f.name}=${f.value}`),
        ...settableNames.map((name) => `--${name}=${listed.get(name)}`),
      ]);
    } finally {
      vi.doUnmock('tinypool');
      vi.resetModules();
    }
  });
});

import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { poolRunner } from '../src/run/pool.js';
import { defaultsInListing, setOnCommandLine, TUNED_FLAGS } from '../src/run/v8-tuning.js';

const names = TUNED_FLAGS.map((flag) => flag.name);
const listing = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('V8 flags while workers are up', () => {
  it("reads each tuned flag's default from this node's own listing", () => {
    const defaults = defaultsInListing(listing, [...names, 'no-such-flag']);
    expect([...defaults.keys()].sort()).toEqual([...names].sort());
    expect(defaults.get('heap-growing-percent')).toBe(0);
    expect(defaults.get('max-inlined-bytecode-size-cumulative')).toBeGreaterThan(300);
    // A name that another flag's begins with is not that flag (`--interrupt-budget-for-feedback-allocation`).
    expect(defaults.get('interrupt-budget')).toBe(
      Number(/--interrupt-budget \(.*\)\n\s+type: int\s+default: --interrupt-budget=(\d+)/.exec(listing)![1]),
    );
  });

  it("leaves a flag set on node's command line to the user, in either spelling", () => {
    expect(setOnCommandLine('interrupt-budget', ['--interrupt_budget=1000'])).toBe(true);
    expect(setOnCommandLine('interrupt-budget', ['--interrupt-budget'])).toBe(true);
    expect(setOnCommandLine('interrupt-budget', ['--interrupt-budget-for-feedback-allocation=9'])).toBe(false);
    expect(setOnCommandLine('heap-growing-percent', ['--max-old-space-size=100', 'x.js'])).toBe(false);
  });

  it('sets them as the first pool starts and puts back the listed defaults as the last one closes', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString');
    const defaults = defaultsInListing(listing, names);
    const first = poolRunner(1);
    const second = poolRunner(1);
    expect(set.mock.calls.map(([flag]) => flag)).toEqual(TUNED_FLAGS.map((f) => `--${f.name}=${f.value}`));
    await first.close();
    expect(set).toHaveBeenCalledTimes(TUNED_FLAGS.length);
    await second.close();
    await second.close(); // a second close of the same pool puts nothing back twice
    expect(set.mock.calls.slice(TUNED_FLAGS.length).map(([flag]) => flag)).toEqual(
      names.map((name) => `--${name}=${defaults.get(name)}`),
    );
  });
});

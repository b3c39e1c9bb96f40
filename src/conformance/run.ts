/**
 * The replay, in its steps: plan the cases (plan.ts), open the run (replay.ts), replay the pages
 * without a scenario concurrently and those with one in order (exchange-case.ts, notification-cases.ts,
 * scenario-run.ts), then report.
 */
import { loadPages } from '../group/load.js';
import { forEachConcurrently } from '../util/concurrently.js';
import { runCase } from './exchange-case.js';
import type { ConformanceOptions } from './options.js';
import { casesInAllShards, needsCallbacks, planGroups, slotsOf } from './plan.js';
import { openReplay } from './replay.js';
import { readProblems, summaryOf, type ConformanceReport } from './result.js';
import { runScripted } from './scenario-run.js';
import { scenariosFor } from './scenario.js';

export type { ConformanceOptions } from './options.js';
export { requestDump, testedNothing, type CaseResult, type CaseStatus, type ConformanceReport } from './result.js';

/**
 * Replay documented requests against an implementation and compare its answers with the
 * documented ones. Pages with a scenario run in order (setup, cases, teardown); the others
 * run with bounded concurrency.
 */
export async function runConformance(
  inputs: readonly string[],
  options: ConformanceOptions,
): Promise<ConformanceReport> {
  const loaded = options.loaded ?? (await loadPages(inputs, options));
  const scenarios = await scenariosFor(inputs, options.scenarios, options.cwd ?? process.cwd());
  const plans = planGroups(loaded.groups, options);
  const { ordered, free, scripted } = slotsOf(plans, scenarios);
  if (options.onPlanned) {
    const inAllShards = options.shard ? casesInAllShards(loaded.groups, options) : ordered.length;
    options.onPlanned(ordered.length, inAllShards);
  }
  const replay = await openReplay(options, loaded.groups, ordered, needsCallbacks(plans, scenarios));
  try {
    await forEachConcurrently(free, options.concurrency ?? 4, (slot) => runCase(replay, slot, undefined, {}));
    for (const page of scripted) await runScripted(replay, page);
  } finally {
    await replay.receiver.stop();
  }
  const results = replay.slots.filter((r) => r !== undefined);
  const { shard, target } = options;
  const summary = summaryOf(results);
  const diagnostics = readProblems(loaded, shard);
  return { version: 1, target, results, summary, diagnostics, ...(shard ? { shard: { ...shard } } : {}) };
}

/** The plan step: which cases a run replays, the slot of each, and which pages run with a scenario. */
import type { PageGroup } from '../group/group.js';
import { shardOf, type Shard } from '../run/shard.js';
import { casesOf, type CaseOptions, type ConformanceCase } from './cases.js';
import type { Scenario } from './scenario.js';
import { selectCases } from './select.js';

export interface PlanOptions extends CaseOptions {
  cases?: readonly string[];
  skipCases?: readonly string[];
  shard?: Shard;
}

/** A page group with cases to replay: its selected cases, in plan order. */
export interface PlannedGroup {
  group: PageGroup;
  cases: readonly ConformanceCase[];
}

/** The page groups of the shard that hold a selected case, in load order. */
export function planGroups(groups: readonly PageGroup[], options: PlanOptions): PlannedGroup[] {
  const { shard } = options;
  const caseOptions = { locale: options.locale, sourceLocale: options.sourceLocale };
  const selection = { cases: options.cases, skip: options.skipCases };
  return groups
    .filter((group) => !shard || shardOf(group.pageId, shard.count) === shard.index)
    .map((group) => ({ group, cases: selectCases(casesOf(group, caseOptions), selection) }))
    .filter((p) => p.cases.length > 0);
}

/** The cases the doc set holds in all shards together: the plan without `options.shard`. */
export function casesInAllShards(groups: readonly PageGroup[], options: PlanOptions): number {
  return planGroups(groups, { ...options, shard: undefined }).reduce((n, plan) => n + plan.cases.length, 0);
}

/**
 * Why a shard that holds no case is no failure: each page group goes to the shard its id hashes to (so that adding
 * pages moves no other), which can leave a shard of a small doc set empty while the others replay every case.
 */
export function emptyShardNote(shard: Shard, inAllShards: number): string {
  return (
    `shard ${shard.index + 1}/${shard.count} holds none of the ${inAllShards} cases ` +
    '(each page group goes to the shard its id hashes to): the other shards replay them'
  );
}

/** A page with a scenario: its cases take the slots from `first` on and run in order. */
export interface ScriptedPage {
  first: number;
  cases: readonly ConformanceCase[];
  scenario: Scenario;
}

export interface Slots {
  /**
   * Every case in plan order (an exchange, then the notifications it triggers), its index its slot:
   * results land in their slots as they end, so the report comes out in plan order without a sort.
   */
  ordered: ConformanceCase[];
  /** The slots of the exchanges of pages without a scenario: these run concurrently. */
  free: number[];
  scripted: ScriptedPage[];
}

export function slotsOf(plans: readonly PlannedGroup[], scenarios: readonly Scenario[]): Slots {
  const slots: Slots = { ordered: [], free: [], scripted: [] };
  for (const p of plans) {
    const first = slots.ordered.length;
    const scenario = scenarios.find((s) => s.page === p.group.pageId);
    if (scenario) slots.scripted.push({ first, cases: p.cases, scenario });
    else
      p.cases.forEach((c, i) => {
        if (c.kind === 'exchange') slots.free.push(first + i);
      });
    slots.ordered.push(...p.cases);
  }
  return slots;
}

const namesCallback = (s: Scenario) => /\{\{\s*callbackUrl\s*\}\}/.test(JSON.stringify(s));

/**
 * Whether the run needs the callback receiver: a page with a scenario whose cases await notifications,
 * or whose steps and patches name {{callbackUrl}} (a selection may hold no notification case and still
 * register it).
 */
export function needsCallbacks(plans: readonly PlannedGroup[], scenarios: readonly Scenario[]): boolean {
  const awaits = (p: PlannedGroup) => p.cases.some((c) => c.kind === 'notification');
  return plans.some((p) => scenarios.some((s) => s.page === p.group.pageId && (namesCallback(s) || awaits(p))));
}

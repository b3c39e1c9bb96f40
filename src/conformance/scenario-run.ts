/** The scenario steps: a page with a scenario runs its setup, then its cases in order, then its teardown. */
import type { Page } from '../page/page.js';
import type { Sample } from '../sample/sample.js';
import { runCase } from './exchange-case.js';
import type { ActualResponse } from './match.js';
import type { ScriptedPage } from './plan.js';
import { planFor, record, send, varsFor, type Replay } from './replay.js';
import { resultOf } from './result.js';
import { capture, type Scenario, type ScenarioStep } from './scenario.js';

/** A failed setup turns every case of the page into an error; the teardown runs either way. */
export async function runScripted(replay: Replay, page: ScriptedPage): Promise<void> {
  const { first, cases, scenario } = page;
  const captured: Record<string, string> = {};
  let failure: string | null = null;
  for (const step of scenario.setup ?? []) if (!failure) failure = await runStep(replay, step, scenario, captured);
  if (failure) {
    const message = `scenario setup failed: ${failure}`;
    cases.forEach((c, i) => record(replay, first + i, resultOf(c, 'error', message, [], 0)));
  } else {
    for (const [i, c] of cases.entries()) {
      if (c.kind === 'exchange') await runCase(replay, first + i, scenario, captured);
    }
  }
  for (const step of scenario.teardown ?? []) await runStep(replay, step, scenario, captured);
}

/** Send one step's request and keep what it captures; why it failed, or null. */
async function runStep(
  replay: Replay,
  step: ScenarioStep,
  scenario: Scenario,
  captured: Record<string, string>,
): Promise<string | null> {
  const sample = stepSample(replay, step, scenario);
  if (typeof sample === 'string') return sample;
  const name = step.name ?? sample.id;
  const planned = planFor(replay, sample, scenario, varsFor(replay, scenario, captured), step);
  const outcome = planned.problem === undefined ? await send(planned.request, replay.limits) : planned;
  if ('problem' in outcome) return `step ${name}: ${outcome.problem}`;
  const { response } = outcome;
  if (step.expectStatus !== undefined && response.status !== step.expectStatus) {
    return `step ${name}: status ${response.status}, expected ${step.expectStatus}`;
  }
  return captureAll(step, response, captured, name);
}

/**
 * The sample a step sends, or why there is none: on the step's page (the scenario's by default), in the
 * run's locale when that page has it.
 */
function stepSample(replay: Replay, step: ScenarioStep, scenario: Scenario): Sample | string {
  const { sample: id } = step.request;
  const pageId = step.request.page || scenario.page;
  const group = replay.groups.find((g) => g.pageId === pageId);
  const holds = (p: Page) => p.samples.some((s) => s.id === id);
  const { locale } = replay.options;
  const inLocale = (p: Page) => (locale ? p.locale === locale : true) && holds(p);
  const page = group?.pages.find(inLocale) ?? group?.pages.find(holds);
  const sample = page?.samples.find((s) => s.id === id);
  if (page && sample) return sample;
  const why = `no sample ${id} on page ${pageId} (is that page among the inputs?)`;
  return `${scenario.file}: step ${step.name ?? id}: ${why}`;
}

/** Keep each capture of a step; the first that finds nothing fails the step. */
function captureAll(
  step: ScenarioStep,
  response: ActualResponse,
  captured: Record<string, string>,
  name: string,
): string | null {
  for (const [key, spec] of Object.entries(step.capture ?? {})) {
    const value = capture(spec, response);
    if (value === null) return `step ${name}: capture ${key} found nothing`;
    captured[key] = value;
  }
  return null;
}

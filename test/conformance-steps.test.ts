/**
 * The replay's steps on their own (plan, match verdict) and the one adapter from a case result to a
 * finding's place, which every reporter reads: they must agree on where a failed case is and what names it.
 */
import { describe, expect, it } from 'vitest';
import { caseLocation, describeCheck } from '../src/conformance/location.js';
import { verdictOf } from '../src/conformance/exchange-case.js';
import type { Mismatch } from '../src/conformance/match.js';
import { needsCallbacks, planGroups, slotsOf } from '../src/conformance/plan.js';
import type { CaseResult, ConformanceReport } from '../src/conformance/run.js';
import { loadScenarios } from '../src/conformance/scenario.js';
import { loadPages } from '../src/index.js';
import { conformanceText } from '../src/report/conformance.js';
import { renderGithub } from '../src/report/github.js';
import { renderHtml } from '../src/report/html.js';
import { renderJunit } from '../src/report/junit.js';
import type { RunReport } from '../src/report/model.js';
import { renderSarif } from '../src/report/sarif.js';
import { repoRoot } from './helpers/paths.js';

const FILE = 'docs/pt-BR/graph/api-reference/beta/api/call-delete.md';
const status: Mismatch = { check: 'status', path: 'status', expected: '204', actual: '200', docLine: 41 };
const body: Mismatch = { check: 'body', path: 'body $.id', what: 'value', expected: '"a"', actual: '"b"' };

function result(over: Partial<CaseResult>): CaseResult {
  return {
    caseId: 'graph/api-reference/beta/api/call-delete#delete-call-1/request',
    pageId: 'graph/api-reference/beta/api/call-delete',
    sampleId: 'delete-call-1/request',
    file: FILE,
    line: 33,
    locale: 'pt-BR',
    status: 'failed',
    message: 'status: documented 204, got 200',
    durationMs: 5,
    checks: [],
    note: null,
    ...over,
  };
}

describe('caseLocation: a case result as a finding', () => {
  it('points at the first difference when its documented line is known, else at the case', () => {
    expect(caseLocation(result({ checks: [status, body] }))).toEqual({
      file: FILE,
      line: 33,
      where: `${FILE}:33`,
      docLine: 41,
      first: status,
      message: 'status: documented 204, got 200',
    });
    const noLine = caseLocation(result({ checks: [body, status] }));
    expect([noLine.docLine, noLine.first]).toEqual([33, body]);
    const none = caseLocation(result({ status: 'error', message: 'connection refused' }));
    expect([none.docLine, none.first, none.message]).toEqual([33, null, 'connection refused']);
  });

  it('writes a check on one line', () => {
    expect(describeCheck(status)).toBe('status status: expected 204, actual 200');
  });

  it('is where every reporter places a failed case, and what names it', () => {
    const failed = result({ checks: [status, body] });
    const errored = result({ caseId: 'p#x', sampleId: 'x', status: 'error', message: 'timed out', line: 70 });
    const conformance: ConformanceReport = {
      version: 1,
      target: 'http://127.0.0.1:1',
      results: [failed, errored],
      summary: { passed: 0, failed: 1, skipped: 0, errors: 1 },
      diagnostics: [],
    };
    const report: RunReport = { tool: { name: 'lockstep', version: '0.0.0-test' }, cwd: repoRoot, conformance };
    const github = renderGithub(report).trimEnd().split('\n');
    expect(github[0]).toMatch(new RegExp(`^::error file=${FILE},line=41,`));
    expect(github[1]).toMatch(new RegExp(`^::error file=${FILE},line=70,.*::timed out$`));
    expect(github[0]).toContain(`%0A${describeCheck(status)}`);
    type Located = { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] };
    const sarif = renderSarif(report) as { runs: { results: Located[] }[] };
    const [s1, s2] = sarif.runs.at(-1)!.results;
    expect([s1!.ruleId, s1!.locations[0]!.physicalLocation.region.startLine]).toEqual(['conformance/status', 41]);
    expect([s2!.ruleId, s2!.locations[0]!.physicalLocation.region.startLine]).toEqual(['conformance/exchange', 70]);
    const junit = renderJunit(report);
    expect(junit).toContain('type="status"');
    expect(junit).toContain(`<system-out>${FILE}:33</system-out>`);
    expect(conformanceText(conformance, { color: false })).toContain(`    ${FILE}:70\n`);
    expect(renderHtml(report)).toContain(`<td class="where">${FILE}:33</td>`);
  });
});

describe('verdictOf: the match step', () => {
  const c = { page: { file: FILE }, expected: { line: 40 } } as unknown as Parameters<typeof verdictOf>[0];
  const failing = { mismatches: [status], more: 0, bound: new Map<string, string>() };
  const passing = { mismatches: [], more: 0, bound: new Map<string, string>() };

  it('fails on a difference and says where the documented answer is', () => {
    expect(verdictOf(c, failing, undefined)).toEqual({
      status: 'failed',
      message: `status: documented 204, got 200 (documented at ${FILE}:40)`,
      checks: [status],
    });
    expect(verdictOf(c, passing, undefined)).toEqual({ status: 'passed', message: 'conforms' });
  });

  it("turns a scenario's expected failure into a skip, and a pass of it into a failure", () => {
    expect(verdictOf(c, failing, 'known')).toEqual({
      status: 'skipped',
      message: 'expected failure (known): status: documented 204, got 200',
      checks: [status],
    });
    expect(verdictOf(c, passing, 'known')).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/^expected to fail \(known\) but passed/),
    });
  });
});

describe('the plan step', () => {
  it('gives each case a slot in plan order; free slots are the exchanges of pages without a scenario', async () => {
    const { groups } = await loadPages(['docs'], { cwd: repoRoot });
    const scenarios = await loadScenarios(`${repoRoot}/docs/.lockstep/scenarios`);
    const plans = planGroups(groups, {});
    const slots = slotsOf(plans, scenarios);
    expect(slots.ordered).toEqual(plans.flatMap((p) => p.cases));
    expect(slots.ordered).toHaveLength(25);
    expect(slots.scripted.map((s) => s.scenario.page).sort()).toEqual(scenarios.map((s) => s.page).sort());
    for (const s of slots.scripted) expect(slots.ordered.slice(s.first, s.first + s.cases.length)).toEqual(s.cases);
    expect(slots.free.every((slot) => slots.ordered[slot]!.kind === 'exchange')).toBe(true);
    const scriptedSlots = new Set(slots.scripted.flatMap((s) => s.cases.map((_c, i) => s.first + i)));
    expect(slots.free.some((slot) => scriptedSlots.has(slot))).toBe(false);
    expect(needsCallbacks(plans, scenarios)).toBe(true);
    expect(needsCallbacks(plans, [])).toBe(false);
  });

  it('keeps a shard and a selection', async () => {
    const { groups } = await loadPages(['docs'], { cwd: repoRoot });
    const shard = (index: number) => planGroups(groups, { shard: { index, count: 2 } }).flatMap((p) => p.cases);
    const halves = [shard(0), shard(1)];
    expect(halves[0]!.length + halves[1]!.length).toBe(25);
    const selected = planGroups(groups, { cases: ['*#delete-call-1/request'] }).flatMap((p) => p.cases);
    expect(selected.map((c) => c.sampleId)).toEqual([
      'delete-call-1/request',
      'example/notification---terminating#1',
      'example/notification---terminated#1',
    ]);
  });
});

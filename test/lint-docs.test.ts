/** `lockstep lint docs`: the real findings on the bundled pages, and nothing else. */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { repoRoot } from './helpers/paths.js';

describe('lint on docs/', async () => {
  const result = await lint(['docs'], { cwd: repoRoot });
  const rows = result.diagnostics.map((d) => [d.ruleId, d.severity, d.file.replace(/^docs\//, ''), d.line]);

  it('finds the stale ru-RU and zh-CN Disconnect pages, once each, with no sample cascade', () => {
    expect(rows.filter((r) => r[0] === 'stale-translation')).toEqual([
      [
        'stale-translation',
        'warning',
        'ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md',
        14,
      ],
      [
        'stale-translation',
        'warning',
        'zh-CN/exchange/web-service-reference/disconnect-operation-um-web-service.md',
        14,
      ],
    ]);
    const stale = result.diagnostics.find((d) => d.ruleId === 'stale-translation')!;
    expect(stale.message).toContain(
      'older source revision (ms.openlocfilehash a1268f9, handed off 06/03/2020) than pt-BR (42e0692, 09/24/2021)',
    );
    expect(stale.related?.[0]).toMatchObject({
      file: 'docs/pt-BR/exchange/web-service-reference/disconnect-operation-um-web-service.md',
      locale: 'pt-BR',
    });
  });

  it(`with --source-locale pt-BR keeps every finding: the older locales stay stale, \
the split identifier stays`, async () => {
    const withSource = await lint(['docs'], { cwd: repoRoot, sourceLocale: 'pt-BR' });
    const key = (d: { ruleId: string; file: string; line: number }) => `${d.ruleId} ${d.file}:${d.line}`;
    // pt-BR's own `Autorização` is not a name a source writes: the request-header rows where the
    // others split (ru-RU `Авторизация`, zh-CN `Authorization`) are left undecided, as without a source.
    expect(withSource.diagnostics.map(key)).toEqual(result.diagnostics.map(key));
    expect(withSource.diagnostics.filter((d) => d.ruleId === 'stale-translation').map((d) => d.locale)).toEqual([
      'ru-RU',
      'zh-CN',
    ]);
  });

  it('finds the translated and transliterated identifiers', () => {
    expect(rows.filter((r) => r[0] === 'identifier-translated')).toEqual([
      ['identifier-translated', 'error', 'pt-BR/tapi/drop-ovr.md', 28],
      [
        'identifier-translated',
        'error',
        'ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md',
        63,
      ],
      [
        'identifier-translated',
        'error',
        'ru-RU/exchange/web-service-reference/disconnect-operation-um-web-service.md',
        64,
      ],
      ['identifier-translated', 'error', 'ru-RU/tapi/drop-ovr.md', 26],
      ['identifier-translated', 'error', 'ru-RU/tapi/drop-ovr.md', 28],
      [
        'identifier-translated',
        'error',
        'zh-CN/exchange/web-service-reference/disconnect-operation-um-web-service.md',
        63,
      ],
    ]);
    const messages = result.diagnostics.filter((d) => d.ruleId === 'identifier-translated').map((d) => d.message);
    expect(messages.join('\n')).toMatch(/`lineDrop`.*`линедроп`/);
    expect(messages.join('\n')).toMatch(/`DisconnectResponse`.*`Дисконнектреспонсе/);
    expect(messages.join('\n')).toMatch(/`ITBasicCallControl::Disconnect`.*`ITBasicCallControl::D isconnect`.*space/);
  });

  it('finds the zh-CN TAPI coverage gap', () => {
    expect(rows.filter((r) => r[0] === 'page-missing-locale')).toEqual([
      ['page-missing-locale', 'warning', 'pt-BR/tapi/drop-ovr.md', 1],
    ]);
  });

  it('reports the examples of the create-call page no service can reproduce, once, on the first locale', () => {
    const found = result.diagnostics.filter((d) => d.ruleId === 'example-inconsistent');
    const page = 'pt-BR/graph/api-reference/beta/api/application-post-calls.md';
    const places = [
      [202, 22],
      [646, 19],
      [906, 16],
      [997, 22],
      [1005, 16],
      [1255, 16],
      [1322, 16],
      [1375, 16],
    ];
    places.push([1443, 16], [1696, 18], [1854, 18], [2085, 22]);
    expect(found.map((d) => [d.severity, d.file.replace(/^docs\//, ''), d.line, d.column])).toEqual(
      places.map(([line, column]) => ['warning', page, line, column]),
    );
    for (const d of found) {
      expect(d.related?.map((r) => [r.locale, r.line])).toEqual([
        ['ru-RU', d.line],
        ['zh-CN', d.line],
      ]);
    }
    expect(found.map((d) => d.message).join('\n')).toMatch(
      /at \$\.tenantId: "aa67bd4c-[^"]*" here, "86dc81db-[^"]*" in the request \(line 906\)/,
    );
    expect(found[1]!.message).toBe(
      '"d17646-3110-40b1-bae6-e9ac6c3f74" at $.callChainId looks like a GUID but is not ' +
        'one (a group of 6 hex digits where 8 belong, and one of 10 where 12 belong); a service cannot return it',
    );
  });

  it('reports the source defects of the create-call page once, as warnings, and nothing else', () => {
    const elsewhere = ['stale-translation', 'identifier-translated', 'page-missing-locale', 'example-inconsistent'];
    const rest = rows.filter((r) => !elsewhere.includes(r[0] as string));
    expect(new Set(rest.map((r) => `${r[0]} ${r[1]} ${r[2]}`))).toEqual(
      new Set(['sample-malformed warning pt-BR/graph/api-reference/beta/api/application-post-calls.md']),
    );
    expect(rest).toHaveLength(16);
    expect(result.summary).toMatchObject({ pages: 11, pageGroups: 4, errors: 6, warnings: 31 });
  });
});

describe('lint one page group at a time', () => {
  it('gives exactly the diagnostics of linting everything loaded at once', async () => {
    const { loadPages } = await import('../src/index.js');
    const { lintGroups } = await import('../src/lint/lint.js');
    const { compareDiagnostics } = await import('../src/diagnostics/diagnostic.js');
    const { fixFiles, resolvePlans } = await import('../src/fix/index.js');
    const { sharedAvailable, seedsDir } = await import('./helpers/paths.js');
    const inputs: [string[], { sourceLocale?: string; extensions?: string[] }][] = [
      [['docs'], {}],
      [['docs'], { sourceLocale: 'pt-BR' }],
      [['fixtures/lint'], {}],
    ];
    if (sharedAvailable('the streaming check on the flat seeds')) inputs.push([[seedsDir], { extensions: ['txt'] }]);
    for (const [paths, extra] of inputs) {
      const options = { cwd: repoRoot, ...extra };
      const loaded = await loadPages(paths, options);
      // Each repair resolved against the files as read from disk (lint resolves them in each group's check).
      const found = [...loaded.diagnostics, ...lintGroups(loaded.groups, options)].sort(compareDiagnostics);
      const atOnce = resolvePlans(found, fixFiles(repoRoot).read);
      expect((await lint(paths, options)).diagnostics).toEqual(atOnce);
    }
  });

  it("gives lint()'s whole result from pages already loaded (demo parses each page once)", async () => {
    const { loadPages } = await import('../src/index.js');
    const { lintLoaded } = await import('../src/run/lint-run.js');
    for (const paths of [['docs'], ['fixtures/lint'], ['docs/pt-BR']]) {
      const options = { cwd: repoRoot };
      expect(lintLoaded(await loadPages(paths, options), options)).toEqual(await lint(paths, options));
    }
  });
});

/**
 * The repair stage's own guarantees, apart from any rule: worse pages are not written, overlaps wait,
 * patches apply.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { damagedSpan, fixText, planRepairs, repairTexts, unifiedDiff, unifiedDiffOf } from '../src/fix/index.js';
import { examplePages, soapRequest } from '../src/lint/examples.js';

const finding = (line: number, old: string, text: string): Diagnostic => ({
  ruleId: 'identifier-translated',
  severity: 'error',
  file: 'docs/ru-RU/page.md',
  line,
  column: 1,
  message: `${old} → ${text}`,
  fix: { authority: 'pt-BR, zh-CN', edits: [{ kind: 'replace', line, column: 1, old, text }] },
});
const page = 'See [линедроп](x.md).\nAnd [линедроп](y.md).\n';
const read = (file: string) => (file === 'docs/ru-RU/page.md' ? fixText(page) : null);

describe('planRepairs', () => {
  it('writes nothing for a page the repair would leave with more findings, and says why', () => {
    const result = planRepairs([finding(1, 'линедроп', 'lineDrop')], read, () => [
      { file: 'docs/ru-RU/page.md', group: 'page', before: 1, after: 2 },
    ]);
    expect(result.changes).toEqual([]);
    expect(result.diagnostics[0]!.fix!.notFixed).toBe(
      'the repaired page would have more findings (1 → 2): not written',
    );
  });

  it('writes nothing for a page the repair would leave with as many findings but more errors', () => {
    const result = planRepairs([finding(1, 'линедроп', 'lineDrop')], read, () => [
      { file: 'docs/ru-RU/page.md', group: 'page', before: 1, after: 1, errorsBefore: 0, errorsAfter: 1 },
    ]);
    expect(result.changes).toEqual([]);
    expect(result.diagnostics[0]!.fix!.notFixed).toBe('the repaired page would have more errors (0 → 1): not written');
  });

  it('leaves a repair that overlaps an earlier one for the next pass', () => {
    const result = planRepairs([finding(1, 'линедроп', 'lineDrop'), finding(1, 'линедроп](x', 'LineDrop](x')], read);
    expect(result.changes[0]!.after).toBe(page.replace('линедроп', 'lineDrop'));
    expect(result.diagnostics[1]!.fix!.notFixed).toContain('overlaps');
  });

  it('says "not fixed" when the text is not at the finding\'s line', () => {
    const result = planRepairs([finding(2, 'отключение', 'Disconnect')], read);
    expect(result.changes).toEqual([]);
    expect(result.diagnostics[0]!.fix!.notFixed).toContain('is not written as such on line 2');
  });
});

describe('damagedSpan', () => {
  it.each([
    ['ITBasicCallControl::D isconnect', 'ITBasicCallControl::Disconnect', [], 'ITBasicCallControl::D isconnect'],
    [
      'Дисконнектреспонсе (веб-служба)',
      'DisconnectResponse',
      ['DisconnectResponse (UM web service)'],
      'Дисконнектреспонсе',
    ],
    ['Отключение (веб-служба)', 'Disconnect', ['Disconnect (UM web service)'], 'Отключение'],
    ['断开连接（UM web 服务）', 'Disconnect', ['Disconnect (UM web service)'], '断开连接'],
    ['the linedrop function', 'lineDrop', [], 'linedrop'],
  ])('%s: the span of %s', (text, id, examples, span) => {
    expect(damagedSpan(text, id, examples)?.old).toBe(span);
  });

  it.each([
    // Two frames, no frame, punctuation only: never a guess.
    ['Отключение (a) (b)', 'Disconnect', ['Disconnect (x)']],
    ['Отключение веб-служба', 'Disconnect', ['Disconnect web service']],
    ['，', 'Item', ['Item']],
  ])('%s: no span of %s', (text, id, examples) => {
    expect(damagedSpan(text, id, examples)).toBeNull();
  });

  it('in prose, repairs only what the name itself shows', () => {
    expect(damagedSpan('ошибки', 'ResponseClass', ['ResponseClass'], { prose: true })).toBeNull();
    expect(damagedSpan('респонсекласс', 'ResponseClass', ['ResponseClass'], { prose: true })?.old).toBe(
      'респонсекласс',
    );
  });
});

describe('unified diffs', () => {
  it('apply with git apply, a file without a final line break included', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-diff-'));
    try {
      const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\r\n');
      const after = before.replace('line 2\r', 'LINE 2\r').replace(/line 30$/, 'LINE 30');
      await writeFile(path.join(dir, 'a.md'), before);
      const edits = [
        { start: before.indexOf('line 2\r'), end: before.indexOf('line 2\r') + 6, text: 'LINE 2' },
        { start: before.length - 7, end: before.length, text: 'LINE 30' },
      ];
      expect(unifiedDiff('a.md', before, edits)).toBe(unifiedDiffOf('a.md', before, after));
      await writeFile(path.join(dir, 'p.patch'), unifiedDiffOf('a.md', before, after));
      execFileSync('git', ['apply', 'p.patch'], { cwd: dir, stdio: 'pipe' });
      expect(await readFile(path.join(dir, 'a.md'), 'utf8')).toBe(after);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--fix-stale', () => {
  const OLDER = { 'ms.openlocfilehash': 'a1268f9ea3d879f472e019bf1847fc13d65d1819', 'ms.lasthandoff': '06/03/2020' };
  const older = (body: string) => body.replace('name="disconnect-request-example"', 'name="request-example"');
  const pages = Object.fromEntries(
    Object.entries(
      examplePages(
        {
          'pt-BR': `${soapRequest()}\nVeja [Disconnect](disconnect.md).\n`,
          'ru-RU': older(`${soapRequest('OLDID')}\nСм. [Disconnect](disconnect-old.md).\n`),
          'zh-CN': older(`${soapRequest('OLDID')}\n请参阅 [Disconnect](disconnect-old.md)。\n`),
        },
        { 'ru-RU': OLDER, 'zh-CN': OLDER },
      ),
    ).map(([file, text]) => [`docs/${file}`, text]),
  );

  it('is opt-in: --fix leaves a stale page as it is', () => {
    const repaired = repairTexts(pages);
    expect(repaired.texts).toEqual(pages);
    const stale = repaired.diagnostics.filter((d) => d.ruleId === 'stale-translation');
    expect(stale.map((d) => d.fix?.notFixed)).toEqual([
      'a stale page is brought to the source revision only with --fix-stale',
      'a stale page is brought to the source revision only with --fix-stale',
    ]);
  });

  it("brings a stale page's samples, anchors and link targets to the newer revision, never its prose", () => {
    const repaired = repairTexts(pages, { stale: true });
    for (const locale of ['ru-RU', 'zh-CN']) {
      const file = `docs/${locale}/page.md`;
      const want = pages[file]!.replace('OLDID', 'MDlkZjll')
        .replace('name="request-example"', 'name="disconnect-request-example"')
        .replace('disconnect-old.md', 'disconnect.md');
      expect(repaired.texts[file], file).toBe(want);
    }
    expect(repaired.staleFiles).toEqual(['docs/ru-RU/page.md', 'docs/zh-CN/page.md']);
    // The revision it was translated from stays: its prose still needs translators.
    expect(repaired.texts['docs/ru-RU/page.md']).toContain('ms.openlocfilehash: a1268f9');
    expect(repairTexts(repaired.texts, { stale: true }).files).toEqual([]);
  });

  it('brings every stale locale of a group up together, where each alone would disagree with the others', () => {
    // Exchange's addimgroup-operation.md: the source moved to http:// namespaces; the three translations,
    // all of the older revision, still agree with each other on https://, and zh-CN also translated a name.
    const newer = (body: string) => body.replace('https://schemas.microsoft.com', 'http://schemas.microsoft.com');
    const group = Object.fromEntries(
      Object.entries(
        examplePages(
          {
            'en-US': newer(`${soapRequest()}\nSee [DisplayName](displayname.md).\n`),
            'pt-BR': `${soapRequest()}\nVeja [DisplayName](displayname.md).\n`,
            'ru-RU': `${soapRequest()}\nСм. [DisplayName](displayname.md).\n`,
            'zh-CN': `${soapRequest()}\n请参阅 [显示名称](displayname.md)。\n`,
          },
          { 'pt-BR': OLDER, 'ru-RU': OLDER, 'zh-CN': OLDER },
        ),
      ).map(([file, text]) => [`docs/${file}`, text]),
    );
    const options = { stale: true, sourceLocale: 'en-US' };
    const repaired = repairTexts(group, options);
    expect(repaired.staleFiles).toEqual(['docs/pt-BR/page.md', 'docs/ru-RU/page.md', 'docs/zh-CN/page.md']);
    for (const locale of ['pt-BR', 'ru-RU', 'zh-CN'])
      expect(repaired.texts[`docs/${locale}/page.md`]).toContain('xmlns="http://schemas.microsoft.com');
    expect(repaired.texts['docs/zh-CN/page.md']).toContain('请参阅 [DisplayName](displayname.md)。');
    expect(repairTexts(repaired.texts, options).files).toEqual([]);
  });
});

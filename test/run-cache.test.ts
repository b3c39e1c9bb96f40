/**
 * The lint cache (src/run/cache.ts): a re-run reuses what it can and nothing stale; a damaged
 * cache is ignored and rewritten, never a crash and never a different result.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverFiles, lint, type LintProgress, type LintResult, type LintRunOptions } from '../src/index.js';
import {
  CACHE_GITIGNORE,
  DEFAULT_CACHE_DIR,
  entrySum,
  FALLBACK_CACHE_DIR,
  filesSum,
  journalLine,
  LintCache,
  packText,
  parsePack,
  RACY_MS,
  stableStringify,
} from '../src/run/cache.js';
import { docsDir, repoRoot } from './helpers/paths.js';

let cwd = '';
beforeEach(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'lockstep-scale-cache-'));
  await cp(docsDir, path.join(cwd, 'docs'), { recursive: true });
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function run(options: LintRunOptions = {}) {
  let last: LintProgress | undefined;
  const result = await lint(['docs'], {
    cwd,
    workers: 0,
    ...options,
    onProgress: (p) => {
      last = p;
    },
  });
  return { result, progress: last! };
}

const packs = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).filter((n) => /^lint-[0-9a-f]+\.pack$/.test(n));
/** The pack a run saved in `dir`, read, with its file's path. */
async function readOnlyPack(dir: string) {
  const [name] = await packs(dir);
  const file = path.join(dir, name!);
  const namespace = name!.slice('lint-'.length, -'.pack'.length);
  const { pack } = parsePack(await readFile(file, 'utf8'), namespace);
  return { file, namespace, pack: pack! };
}
const journals = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.journal'));

describe('the lint cache', () => {
  it(`is off unless asked for; \`cache: true\` keeps it in node_modules/.cache/lockstep \
when the working directory has node_modules`, async () => {
    await mkdir(path.join(cwd, 'node_modules'));
    await run();
    expect(await packs(path.join(cwd, DEFAULT_CACHE_DIR))).toEqual([]);
    const fresh = await run({ cache: true });
    expect(await packs(path.join(cwd, DEFAULT_CACHE_DIR))).toHaveLength(1);
    expect(await readdir(cwd)).not.toContain(FALLBACK_CACHE_DIR);
    const warm = await run({ cache: true });
    expect(warm.result).toStrictEqual(fresh.result);
    expect(warm.progress.groups.cached).toBe(fresh.result.summary.pageGroups);
    expect(warm.progress.pages.total).toBe(0);
  });

  it(`goes to a self-ignoring .lockstep-cache, never creating node_modules, \
where there is none (a docs repository)`, async () => {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q');
    const fresh = await run({ cache: true });
    expect(await readdir(cwd)).not.toContain('node_modules');
    expect(await packs(path.join(cwd, FALLBACK_CACHE_DIR))).toHaveLength(1);
    expect(await readFile(path.join(cwd, FALLBACK_CACHE_DIR, '.gitignore'), 'utf8')).toBe(CACHE_GITIGNORE);
    // What `git add -A` would take: the pages, and nothing of the cache.
    git('add', '-A');
    const staged = git('diff', '--cached', '--name-only').split('\n').filter(Boolean);
    expect(staged.filter((f) => f.endsWith('.md')).length).toBe(fresh.result.summary.pages);
    expect(staged.every((f) => f.startsWith('docs/'))).toBe(true);
    const warm = await run({ cache: true });
    expect(warm.progress.groups.cached).toBe(fresh.result.summary.pageGroups);
  });

  it('leaves the pack alone when a run learned nothing new', async () => {
    const cache = { location: 'c' };
    await run({ cache });
    const [pack] = await packs(path.join(cwd, 'c'));
    const file = path.join(cwd, 'c', pack!);
    const before = await stat(file);
    await run({ cache });
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
  });

  it('goes where `location` says (relative to cwd)', async () => {
    await run({ cache: { location: 'my-cache' } });
    expect(await packs(path.join(cwd, 'my-cache'))).toHaveLength(1);
    expect(await packs(path.join(cwd, DEFAULT_CACHE_DIR))).toEqual([]);
  });

  it('re-checks only the group of a changed file, and finds what a fresh run finds', async () => {
    const cache = { location: 'c' };
    const before = await run({ cache });
    const file = path.join(cwd, 'docs/ru-RU/tapi/drop-ovr.md');
    // Fix the translated identifier the page is known for: its findings must change.
    const text = await readFile(file, 'utf8');
    const findings = (r: typeof before) =>
      r.result.diagnostics.filter(
        (d) => d.file === 'docs/ru-RU/tapi/drop-ovr.md' && d.ruleId === 'identifier-translated',
      ).length;
    expect(findings(before)).toBe(2);
    expect(text).toContain('линедроп');
    await writeFile(file, text.replaceAll('линедроп', 'lineDrop'));
    const after = await run({ cache });
    expect(after.progress.groups.cached).toBe(before.result.summary.pageGroups - 1);
    expect(after.progress.pages.total).toBe(
      before.result.pageGroups.find((g) => g.pageId === 'tapi/drop-ovr')!.pages.length,
    );
    expect(findings(after)).toBe(1);
    expect(after.result).toStrictEqual((await run()).result);
  });

  it(`does not read files whose stat is unchanged, \
and still sees a same-size edit with the old mtime put back`, async () => {
    const cache = { location: 'c' };
    const file = path.join(cwd, 'docs/ru-RU/tapi/drop-ovr.md');
    const lastYear = Math.floor(Date.now() / 1000) - 365 * 86_400;
    await utimes(file, lastYear, lastYear); // a whole number of seconds: set back exactly below
    // Signatures are only remembered for files that have been still for RACY_MS (ctime included).
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const before = await run({ cache });
    expect(before.progress.files.cached).toBe(0);
    const warm = await run({ cache });
    expect(warm.result).toStrictEqual(before.result);
    expect(warm.progress.files.cached).toBe(warm.progress.files.total);

    // An edit of the same length, with the old mtime set back: only its ctime moved.
    const { mtimeMs, size } = await stat(file);
    const fixed = (await readFile(file, 'utf8')).replaceAll(
      'линедроп',
      'lineDrop'.padEnd(Buffer.byteLength('линедроп')),
    );
    expect(Buffer.byteLength(fixed)).toBe(size);
    await writeFile(file, fixed);
    await utimes(file, lastYear, lastYear);
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
    const after = await run({ cache });
    expect(after.progress.files.cached).toBe(after.progress.files.total - 1);
    expect(after.progress.pages.total).toBe(
      before.result.pageGroups.find((g) => g.pageId === 'tapi/drop-ovr')!.pages.length,
    );
    expect(after.result).not.toStrictEqual(before.result);
    expect(after.result).toStrictEqual((await run()).result);
  });

  it('remembers files in the order the next run visits them when workers identify them batch by batch', async () => {
    // Enough files for several batches on two workers, which finish them in any order.
    const text = await readFile(path.join(cwd, 'docs/pt-BR/tapi/drop-ovr.md'), 'utf8');
    for (const locale of ['pt-BR', 'ru-RU'])
      for (let k = 0; k < 400; k++) {
        const dir = path.join(cwd, 'many', locale, `part-${k % 7}`);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, `page-${k}.md`), text);
      }
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const cache = { location: 'c' };
    const first = await lint(['many'], { cwd, workers: 2, cache });
    expect(first.summary.pages).toBe(800);
    const { files } = (await readOnlyPack(path.join(cwd, 'c'))).pack;
    const discovered = (await discoverFiles(['many'], { cwd })).files.map((f) => f.absPath);
    expect(files.split('\n').map((line) => line.slice(0, line.indexOf('\t')))).toEqual(discovered);
  });

  it(`reads a file whose name holds a tab or a newline every time, \
and still serves its group from the cache`, async () => {
    const cache = { location: 'c' };
    const odd = path.join(cwd, 'docs/pt-BR/tapi/odd\tname\n.md');
    await cp(path.join(cwd, 'docs/pt-BR/tapi/drop-ovr.md'), odd);
    const old = Math.floor(Date.now() / 1000) - 86_400;
    await utimes(odd, old, old);
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const before = await run({ cache });
    expect(before.result.pageGroups.some((g) => g.pages.some((p) => p.file.includes('odd\tname\n')))).toBe(true);
    const warm = await run({ cache });
    expect(warm.result).toStrictEqual(before.result);
    expect(warm.progress.files.cached).toBe(warm.progress.files.total - 1);
    expect(warm.progress.groups.cached).toBe(before.result.summary.pageGroups);
  });

  it('still knows the unchanged files when a page was added and another removed', async () => {
    const cache = { location: 'c' };
    const old = Math.floor(Date.now() / 1000) - 86_400;
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const before = await run({ cache });
    expect(before.progress.files.cached).toBe(0);
    // A new page sorted before the others, one removed: the pack's entries no longer line up with the files.
    await cp(path.join(cwd, 'docs/pt-BR/tapi/drop-ovr.md'), path.join(cwd, 'docs/pt-BR/aaa-new.md'));
    await utimes(path.join(cwd, 'docs/pt-BR/aaa-new.md'), old, old);
    await rm(path.join(cwd, 'docs/zh-CN/graph/api-reference/beta/api/call-delete.md'));
    const after = await run({ cache });
    expect(after.progress.files.total).toBe(before.progress.files.total);
    expect(after.progress.files.cached).toBe(after.progress.files.total - 1);
    expect(after.result).toStrictEqual((await run()).result);
  });

  it('does not serve results for other options (rules, source locale)', async () => {
    const cache = { location: 'c' };
    await run({ cache });
    const off = await run({ cache, rules: { 'identifier-translated': 'off' } });
    expect(off.progress.groups.cached).toBe(0);
    expect(off.result.diagnostics.some((d) => d.ruleId === 'identifier-translated')).toBe(false);
    const source = await run({ cache, sourceLocale: 'en-US' });
    expect(source.result).toStrictEqual((await run({ sourceLocale: 'en-US' })).result);
    expect(await packs(path.join(cwd, 'c'))).toHaveLength(3);
  });

  it('ignores a pack that is not one (torn, foreign, of another version) and writes a good one', async () => {
    const cache = { location: 'c' };
    // Only files still for RACY_MS get entries: wait, so that the pack has file entries to cut.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const fresh = await run({ cache });
    const { file, namespace } = await readOnlyPack(path.join(cwd, 'c'));
    const good = await readFile(file, 'utf8');
    const head = good.slice(0, good.indexOf('\n'));
    const filesLength = (JSON.parse(head) as { filesLength: number }).filesLength;
    expect(filesLength).toBeGreaterThan(0);
    for (const bad of [
      good.slice(0, good.length / 2),
      // Cut within the file entries, and lengthened there: the line feed after them is not where the head says.
      good.slice(0, head.length + 1 + filesLength / 2),
      good.slice(0, head.length + 1) + 'x' + good.slice(head.length + 1),
      '\u0000\u0001garbage',
      '[]',
      'null',
      '{"format":"lockstep-lint-cache","formatVersion":1}\n',
      head.replace('"formatVersion":5', '"formatVersion":4') + good.slice(head.length),
    ]) {
      await writeFile(file, bad);
      const again = await run({ cache });
      expect(again.result).toStrictEqual(fresh.result);
      expect(again.progress.groups.cached).toBe(0);
      const { pack } = parsePack(await readFile(file, 'utf8'), namespace);
      expect(pack?.groups.size).toBe(fresh.result.summary.pageGroups);
    }
  });

  it('ignores single entries of the wrong shape and re-checks those groups only', async () => {
    const cache = { location: 'c' };
    // Only files still for RACY_MS get entries: wait, so that the pack has one per file to damage.
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));
    const fresh = await run({ cache });
    const { file, pack: parsed } = await readOnlyPack(path.join(cwd, 'c'));
    const [k1, k2, k3, k4] = parsed.groups.keys();
    // Checksums made to match: the shape is checked too, past the checksum.
    const withSum = (key: string, json: string) => entrySum(key, json) + json;
    parsed.groups.set(k1!, withSum(k1!, JSON.stringify({ d: [{ ruleId: 'x' }], s: 1 })));
    const entry2 = JSON.parse(parsed.groups.get(k2!)!.slice(32)) as object;
    parsed.groups.set(k2!, withSum(k2!, JSON.stringify({ ...entry2, s: 'three' })));
    parsed.groups.set(k3!, 'nonsense');
    // File entries with a field missing, and with a locale that is neither empty nor `=`-prefixed: read again.
    expect(parsed.files.split('\n')).toHaveLength(fresh.progress.files.total);
    parsed.files = parsed.files
      .split('\n')
      .map((line, n) =>
        n % 2 === 0 ? line.replace(/\t[^\t]*$/, '') : line.replace(/\t(=?[^\t]*)\t([^\t]*)$/, '\t42\t$2'),
      )
      .join('\n');
    parsed.filesSum = filesSum(parsed.files);
    // A group's line without its key (an entry of no group).
    await writeFile(file, packText(parsed).replace(`\n${k4}\t`, '\n'));
    const again = await run({ cache });
    expect(again.result).toStrictEqual(fresh.result);
    expect(again.progress.files.cached).toBe(0);
    expect(again.progress.groups.cached).toBe(fresh.result.summary.pageGroups - 4);
  });

  it('never fails a run when the cache cannot be written', async () => {
    await writeFile(path.join(cwd, 'blocked'), 'a file where the cache folder would go');
    const fresh = await run();
    expect((await run({ cache: { location: 'blocked' } })).result).toStrictEqual(fresh.result);
    expect((await run({ cache: { location: 'blocked/below' } })).result).toStrictEqual(fresh.result);
  });

  it('loads past a temporary file a killed run left behind', async () => {
    const cache = { location: 'c' };
    const fresh = await run({ cache });
    const [pack] = await packs(path.join(cwd, 'c'));
    const leftover = path.join(cwd, 'c', `.${pack}.99999.abc.tmp`);
    await writeFile(leftover, '{"format":"lockstep-lint-cache","files":{');
    const again = await run({ cache });
    expect(again.result).toStrictEqual(fresh.result);
    expect(again.progress.groups.cached).toBe(fresh.result.summary.pageGroups);
  });
});

describe('an integrity-checked cache, saved as a run goes, shared by concurrent runs', () => {
  // One page group with one error: the gate this cache must not turn green.
  const oneError = ['docs/pt-BR/exchange', 'docs/zh-CN/exchange'];

  it('recomputes an entry edited inside valid JSON (an error made info) and says so once', async () => {
    const cache = { location: 'c' };
    const fresh = await lint(oneError, { cwd, workers: 0, cache });
    expect(fresh.summary.errors).toBe(1);
    const { file, namespace } = await readOnlyPack(path.join(cwd, 'c'));
    const text = await readFile(file, 'utf8');
    expect(text.split('"severity":"error"')).toHaveLength(2);
    await writeFile(file, text.replace('"severity":"error"', '"severity":"info"'));
    expect(parsePack(await readFile(file, 'utf8'), namespace).pack).not.toBeNull(); // still a pack

    let warnings: string[] = [];
    let last: LintProgress | undefined;
    const options: LintRunOptions = {
      cwd,
      workers: 0,
      cache,
      onProgress: (p) => {
        last = p;
      },
      onCacheWarning: (m) => warnings.push(m),
    };
    const again = await lint(oneError, options);
    expect(again).toStrictEqual(fresh);
    expect(last!.groups.cached).toBe(0);
    expect(warnings).toEqual([`cache: 1 entry failed its checksum and was recomputed (${file})`]);
    // The recomputed entry replaced the edited one: the next run is served from the cache, silently.
    warnings = [];
    const warm = await lint(oneError, options);
    expect(warm).toStrictEqual(fresh);
    expect(last!.groups.cached).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('says once that a damaged pack was ignored, and rebuilds it', async () => {
    const cache = { location: 'c' };
    const fresh = await run({ cache });
    const [pack] = await packs(path.join(cwd, 'c'));
    await writeFile(path.join(cwd, 'c', pack!), '{"torn": ');
    const warnings: string[] = [];
    expect((await run({ cache, onCacheWarning: (m) => warnings.push(m) })).result).toStrictEqual(fresh.result);
    const where = path.join(cwd, 'c', pack!);
    expect(warnings).toEqual([`cache: the pack could not be used (not a lint cache pack) and was rebuilt (${where})`]);
  });

  it('keeps what a killed run finished: the next run checks only the rest', async () => {
    // Copies of two page groups (each copy with the same findings), enough for a run of several seconds in one thread.
    const copies = 500;
    const groups = 2 * copies;
    const pages: [string, string][] = [
      ['graph/api-reference/beta/api/call-delete.md', 'call-delete.md'],
      ['exchange/web-service-reference/disconnect-operation-um-web-service.md', 'disconnect.md'],
    ];
    for (const locale of ['pt-BR', 'ru-RU', 'zh-CN']) {
      for (const [from, to] of pages) {
        const text = await readFile(path.join(docsDir, locale, from)).catch(() => null);
        if (!text) continue; // not in every locale
        for (let i = 0; i < copies; i++) {
          await mkdir(path.join(cwd, 'gen', locale, `p${i}`), { recursive: true });
          await writeFile(path.join(cwd, 'gen', locale, `p${i}`, to), text);
        }
      }
    }
    // lint() as built (dist/), in its own process, so that it can be SIGKILLed; the same options each time.
    const script = `import { lint } from ${JSON.stringify(path.join(repoRoot, 'dist/index.js'))};
let last;
const options = { cwd: ${JSON.stringify(cwd)}, workers: 0, cache: { location: 'c' } };
// The run to be killed takes at least 6 ms a group, so that it is mid-way when its first journal append lands (3 s
// in), however fast the machine.
options.onProgress = (p) => {
  last = p;
  if (process.env.SLOW && p.phase === 'checking') {
    process.stdout.write(p.groups.done + '\\n');
    for (const t = Date.now() + 6; Date.now() < t;);
  }
};
const result = await lint(['gen'], options);
process.stdout.write(JSON.stringify({ progress: last, result }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, SLOW: '1' },
    });
    // The groups it has checked, as it tells them (a line each, written before it goes on).
    let checked = 0;
    child.stdout.on('data', (d: Buffer) => {
      const counts = d.toString().match(/\d+(?=\n)/g);
      if (counts) checked = Number(counts[counts.length - 1]);
    });
    let exited = false;
    const exit = new Promise((resolve) =>
      child.on('exit', () => {
        exited = true;
        resolve(undefined);
      }),
    );
    // Killed as soon as its journal holds a group: the run is then mid-way through its groups.
    const journalHoldsAGroup = async () => {
      const [name] = await journals(path.join(cwd, 'c'));
      return name !== undefined && (await readFile(path.join(cwd, 'c', name), 'utf8')).includes('\tG\t');
    };
    while (!(await journalHoldsAGroup()) && !exited) await new Promise((r) => setTimeout(r, 20));
    expect(exited, 'the run ended before it could be killed: make the doc set bigger').toBe(false);
    // Its journal was written while it was checking, not only as it ended (in the main thread too).
    expect(checked).toBeLessThan(groups);
    child.kill('SIGKILL');
    await exit;
    // The pack is written at a run's end only: what the killed run kept is in its journal.
    expect(await packs(path.join(cwd, 'c'))).toEqual([]);

    const next = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
    next.stderr.pipe(process.stderr);
    let out = '';
    next.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    await new Promise((resolve) => next.on('exit', resolve));
    const { progress, result } = JSON.parse(out) as { progress: LintProgress; result: LintResult };
    expect(progress.groups.total).toBe(groups);
    expect(progress.groups.cached).toBeGreaterThan(0);
    expect(progress.groups.cached).toBeLessThan(groups);
    // Every copy has the same findings, whether it came from the killed run's pack or was checked now.
    const perCopy = new Map<string, number>();
    for (const d of result.diagnostics) {
      const p = d.file.split('/')[2]!;
      perCopy.set(p, (perCopy.get(p) ?? 0) + 1);
    }
    expect(perCopy.size).toBe(copies);
    expect(new Set(perCopy.values()).size).toBe(1);
    const one = await lint(
      ['pt-BR', 'ru-RU', 'zh-CN'].map((l) => `gen/${l}/p0`),
      { cwd, workers: 0 },
    );
    expect(one.summary.samples).toBeGreaterThan(0);
    expect(result.summary.samples).toBe(copies * one.summary.samples);
    expect(result.summary.errors).toBe(copies * one.summary.errors);
    // The next run took the journal in, and its pack holds it now: the journal is gone.
    expect(await journals(path.join(cwd, 'c'))).toEqual([]);
    expect(await packs(path.join(cwd, 'c'))).toHaveLength(1);
  }, 120_000);

  it(`takes in the journal of a dead run, past a torn last line and a damaged one, \
not that of a live run`, async () => {
    const cache = { location: 'c' };
    const fresh = await run({ cache });
    const dir = path.join(cwd, 'c');
    const { file, namespace, pack: parsed } = await readOnlyPack(dir);
    const keys = [...parsed.groups.keys()];
    expect(keys.length).toBeGreaterThan(3);
    // As a killed run leaves things: the pack without three groups, which its journal holds.
    const lines = keys.slice(0, 3).map((k) => journalLine('G', k, parsed.groups.get(k)!));
    for (const k of keys.slice(0, 3)) parsed.groups.delete(k);
    await writeFile(file, packText(parsed));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      const deadJournal = path.join(dir, `lint-${namespace}.${dead.pid}.x-0.journal`);
      const liveJournal = path.join(dir, `lint-${namespace}.${live.pid}.x-0.journal`);
      const damaged = lines[1]!.replace(/"/, "'");
      await writeFile(deadJournal, `${lines[0]}${damaged}${lines[2]}${lines[0]!.slice(0, 40)}`);
      await writeFile(liveJournal, lines.join(''));
      const warnings: string[] = [];
      const again = await run({ cache, onCacheWarning: (m) => warnings.push(m) });
      expect(again.result).toStrictEqual(fresh.result);
      // Two groups from the dead run's journal, the damaged line's group checked again, and said once.
      expect(again.progress.groups.cached).toBe(fresh.result.summary.pageGroups - 1);
      expect(warnings).toEqual([`cache: 1 entry failed its checksum and was recomputed (${file})`]);
      expect(await journals(dir)).toEqual([path.basename(liveJournal)]);
      const warm = await run({ cache });
      expect(warm.progress.groups.cached).toBe(fresh.result.summary.pageGroups);
    } finally {
      live.kill();
    }
  });

  it(`keeps everything a dead run's journal held, past the carry-over limit and in a run over a subset; \
a journal under this process's pid that it did not write is a dead run's (a container's pids repeat)`, async () => {
    const cache = { location: 'c' };
    await run({ cache });
    const dir = path.join(cwd, 'c');
    const { namespace } = await readOnlyPack(dir);
    const json = JSON.stringify({ d: [], s: 0 });
    const keys = Array.from({ length: 20_001 }, (_, i) => i.toString(16).padStart(32, '0'));
    const journal = path.join(dir, `lint-${namespace}.${process.pid}.y-0.journal`);
    await writeFile(journal, keys.map((k) => journalLine('G', k, entrySum(k, json) + json)).join(''));
    await lint(['docs/pt-BR'], { cwd, workers: 0, cache });
    expect(await journals(dir)).toEqual([]);
    const { groups } = (await readOnlyPack(dir)).pack;
    expect(keys.filter((k) => !groups.has(k))).toEqual([]);
  });

  it('merges two concurrent runs over different subsets sharing one cache', async () => {
    const cache = { location: 'c' };
    const subsets = [['docs/pt-BR'], ['docs/zh-CN']];
    const first = await Promise.all(subsets.map((inputs) => lint(inputs, { cwd, workers: 0, cache })));
    for (const [k, inputs] of subsets.entries()) {
      let last: LintProgress | undefined;
      const warm = await lint(inputs, {
        cwd,
        workers: 0,
        cache,
        onProgress: (p) => {
          last = p;
        },
      });
      expect(warm).toStrictEqual(first[k]);
      expect(last!.groups.cached, inputs[0]).toBe(first[k]!.summary.pageGroups);
    }
  });

  it('removes, when it starts, the temporary files of dead runs, and keeps those of live ones', async () => {
    const cache = { location: 'c' };
    await run({ cache });
    const [pack] = await packs(path.join(cwd, 'c'));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      const stamp = Date.now().toString(36);
      const temp = (pid: number) => path.join(cwd, 'c', `.${pack}.${pid}.${stamp}-0.tmp`);
      const tenMinutesAgo = (Date.now() - 600_000) / 1000;
      for (const pid of [dead.pid!, live.pid!]) {
        await writeFile(temp(pid), '{"format":"lockstep-lint-cache","files":{');
        await utimes(temp(pid), tenMinutesAgo, tenMinutesAgo);
      }
      // A warm run: nothing to save, and still the dead run's file goes.
      const warm = await run({ cache });
      expect(warm.progress.groups.cached).toBe(warm.result.summary.pageGroups);
      const names = await readdir(path.join(cwd, 'c'));
      expect(names).not.toContain(path.basename(temp(dead.pid!)));
      expect(names).toContain(path.basename(temp(live.pid!)));
    } finally {
      live.kill();
    }
  });
});

describe('the pack, written a few thousand entries at a time', () => {
  it('holds what JSON.stringify of the whole would, across pieces, for paths JSON must escape', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-pack-'));
    try {
      const cache = await LintCache.open(dir, { pieces: true });
      // More entries than a piece holds (4,096), named with quotes, backslashes, non-ASCII and astral characters.
      const names = Array.from({ length: 9000 }, (_, i) => `/docs/"q"\\b/é-${i}-😀.md`);
      const stats = { dev: 1, ino: 2, size: 3, mtimeMs: 1000, ctimeMs: 1000 };
      const hashOf = (i: number) => i.toString(16).padStart(32, '0');
      names.forEach((name, i) =>
        cache.remember(name, { ...stats, ino: i }, hashOf(i), {
          declaredLocale: i % 2 ? 'pt-BR' : null,
          assetId: null,
        }),
      );
      for (let i = 0; i < 5000; i++) cache.setGroup(`key-"${i}"-😀`, { diagnostics: [], samples: i });
      expect(await cache.save()).toBe(true);
      const parsed = (await readOnlyPack(dir)).pack;
      const lines = parsed.files.split('\n');
      expect(lines).toHaveLength(names.length);
      expect(lines.map((line) => line.slice(0, line.indexOf('\t')))).toEqual(names);
      expect(parsed.filesSum).toBe(filesSum(parsed.files));
      expect(parsed.groups.size).toBe(5000);
      // Read back as a warm run reads it: every entry there, none failing its checksum.
      const again = await LintCache.open(dir, { pieces: true });
      expect(again.unchanged(names[8999]!, `1:8999:3:1000:1000`)).toEqual({
        hash: hashOf(8999),
        identity: { declaredLocale: 'pt-BR', assetId: null },
      });
      expect(again.group('key-"4999"-😀')).toEqual({ diagnostics: [], samples: 4999 });
      expect(again.warning()).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cache keys', () => {
  it('hash options independently of key order', () => {
    expect(stableStringify({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe(
      stableStringify({ a: [1, { c: 'x' }], b: 1 }),
    );
    expect(stableStringify({ a: 1 })).not.toBe(stableStringify({ a: 2 }));
  });

  it('change with any member, its locale, or the run locales', () => {
    const m = { file: 'docs/a.md', absPath: '/x/docs/a.md', root: '/x/docs', locale: 'pt-BR', hash: 'h1' };
    const key = LintCache.groupKey('a', [m], ['pt-BR']);
    expect(LintCache.groupKey('a', [m], ['pt-BR'])).toBe(key);
    expect(LintCache.groupKey('a', [{ ...m, hash: 'h2' }], ['pt-BR'])).not.toBe(key);
    expect(LintCache.groupKey('a', [{ ...m, locale: 'ru-RU' }], ['pt-BR'])).not.toBe(key);
    expect(LintCache.groupKey('a', [m], ['pt-BR', 'ru-RU'])).not.toBe(key);
    expect(LintCache.groupKey('b', [m], ['pt-BR'])).not.toBe(key);
  });
});

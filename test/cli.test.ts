import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type CliIO } from '../src/cli/main.js';
import { repoRoot } from './helpers/paths.js';

async function cli(args: string[], cwd = repoRoot): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd,
    color: false,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

const real = (rel: string) => readFile(path.join(repoRoot, 'docs', rel), 'utf8');
const disconnect = 'exchange/web-service-reference/disconnect-operation-um-web-service.md';
const deleteCall = 'graph/api-reference/beta/api/call-delete.md';

describe('lockstep extract', () => {
  it('prints the documented JSON shape for docs/', async () => {
    const { code, stdout, stderr } = await cli(['extract', 'docs', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    expect(Object.keys(report)).toEqual(['version', 'pages', 'groups', 'diagnostics', 'summary']);
    expect(report.summary).toMatchObject({ pages: 11, pageGroups: 4, locales: ['pt-BR', 'ru-RU', 'zh-CN'], errors: 0 });
    const pt = report.pages.find((p: { path: string }) => p.path === `docs/pt-BR/${disconnect}`);
    expect(Object.keys(pt)).toEqual(['path', 'locale', 'pageId', 'title', 'samples', 'diagnostics']);
    expect(pt).toMatchObject({
      locale: 'pt-BR',
      pageId: 'exchange/web-service-reference/disconnect-operation-um-web-service',
      title: 'Operação Disconnect (serviço Web de Unificação de mensagens)',
    });
    expect(pt.samples[0]).toEqual({
      id: 'disconnect-request-example/code#1',
      kind: 'xml',
      role: 'request',
      lang: 'XML',
      line: 33,
      endLine: 42,
      section: ['disconnect-request-example', 'code'],
      tab: null,
      annotation: null,
      pairedWith: 'successful-disconnect-response-example/code#1',
      malformed: false,
      details: {
        roots: ['{http://schemas.xmlsoap.org/soap/envelope/}Envelope'],
        soap: {
          version: '1.1',
          operation: 'Disconnect',
          namespace: 'https://schemas.microsoft.com/exchange/services/2006/messages',
        },
        unresolvedPrefixes: [],
        ellipses: 0,
      },
    });
  });

  it('prints a readable listing with a summary line', async () => {
    const { code, stdout } = await cli(['extract', `docs/ru-RU/${deleteCall}`]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      '  63-65     http-request       request      delete-call-1/request  DELETE ' +
        'https://graph.microsoft.com/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896 ↔ ' +
        'example/response#1',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      '1 pages in 1 page groups, 5 samples (http-request 3, http-request-lines 1, http-response 1): ' +
        '0 errors, 0 warnings',
    );
  });

  it('fails on warnings beyond --max-warnings', async () => {
    expect((await cli(['extract', 'docs', '-q', '--max-warnings', '0'])).code).toBe(1);
    expect((await cli(['extract', 'docs', '-q', '--max-warnings', '1000'])).code).toBe(0);
  });

  it('exits 2 on usage errors, without a stack trace', async () => {
    const { code, stderr } = await cli(['extract', '--format', 'xml']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/argument 'xml' is invalid/);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['extract', '--max-file-size', 'lots'])).code).toBe(2);
  });

  it('writes --output atomically and leaves no temporary file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-out-'));
    try {
      const out = path.join(dir, 'report.json');
      await writeFile(out, 'old');
      const { code, stdout } = await cli(['extract', 'docs', '-f', 'json', '-o', out]);
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(JSON.parse(await readFile(out, 'utf8')).version).toBe(1);
      expect(await readdir(dir)).toEqual(['report.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as `npx lockstep` from the checkout', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['--no-install', 'lockstep', 'extract', `docs/pt-BR/${disconnect}`, '--format', 'json'],
      { cwd: repoRoot },
    );
    expect(JSON.parse(stdout).summary.samples).toBe(2);
  });
});

describe('bad input: each problem is a positioned diagnostic and the run goes on', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-bad-'));
    const put = async (rel: string, data: string | Buffer) => {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), data);
    };
    const pt = await real(`pt-BR/${disconnect}`);
    const ru = await real(`ru-RU/${deleteCall}`);
    await put('docs/pt-BR/good.md', pt);
    await put('docs/pt-BR/crlf.md', pt.replace(/\n/g, '\r\n'));
    await put('docs/pt-BR/bom.md', `\ufeff${pt}`);
    // Invalid UTF-8: a lone continuation byte on line 13, column 16 (the description).
    const bytes = Buffer.from(pt, 'utf8');
    const at = bytes.indexOf(Buffer.from('A operação Disconnect encerra'));
    await put(
      'docs/pt-BR/invalid-utf8.md',
      Buffer.concat([bytes.subarray(0, at + 2), Buffer.from([0x80]), bytes.subarray(at + 2)]),
    );
    await put('docs/pt-BR/duplicate-key.md', pt.replace('manager: sethgros\n', 'manager: sethgros\ntitle: again\n'));
    await put('docs/pt-BR/unterminated.md', pt.replace(/```\n\n## <a name="see-also">/, '\n## <a name="see-also">'));
    await put('docs/pt-BR/bad-xml.md', pt.replace('    </Disconnect>\n', ''));
    await put('docs/ru-RU/bad-json.md', ru.replace('"changeType": "deleted"', '&quot;changeType&quot;: "deleted"'));
    await put('docs/ru-RU/bad-http.md', ru.replace('HTTP/1.1 204 No Content', 'HTTP/1.1 No Content'));
    await put('notes/readme.txt', 'not markdown');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports every problem with file:line:column and processes the other files', async () => {
    const { code, stdout } = await cli(['extract', 'docs', 'notes', 'missing', '--format', 'json'], dir);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const found = (file: string) => report.pages.find((p: { path: string }) => p.path === file);
    const diag = (file: string) =>
      found(file).diagnostics.map((d: { ruleId: string; severity: string; line: number; column: number }) => [
        d.ruleId,
        d.severity,
        d.line,
        d.column,
      ]);
    expect(report.diagnostics).toEqual([
      {
        file: 'missing',
        ruleId: 'file-unreadable',
        severity: 'error',
        line: 1,
        column: 1,
        message: 'no such file or directory',
      },
      {
        file: 'notes',
        ruleId: 'no-pages',
        severity: 'error',
        line: 1,
        column: 1,
        message: 'no .md or .markdown files in this folder',
      },
    ]);
    expect(report.pages).toHaveLength(9);
    expect(diag('docs/pt-BR/good.md')).toEqual([]);
    expect(diag('docs/pt-BR/crlf.md')).toEqual([]);
    expect(found('docs/pt-BR/crlf.md').samples).toEqual(found('docs/pt-BR/good.md').samples);
    expect(diag('docs/pt-BR/bom.md')).toEqual([['file-bom', 'info', 1, 1]]);
    expect(found('docs/pt-BR/bom.md').samples).toEqual(found('docs/pt-BR/good.md').samples);
    expect(diag('docs/pt-BR/invalid-utf8.md')).toEqual([['file-encoding', 'error', 13, 16]]);
    expect(found('docs/pt-BR/invalid-utf8.md').samples).toHaveLength(2);
    expect(diag('docs/pt-BR/duplicate-key.md')).toEqual([['frontmatter-invalid', 'error', 4, 1]]);
    expect(diag('docs/pt-BR/unterminated.md')).toEqual([['fence-unterminated', 'error', 52, 1]]);
    expect(diag('docs/pt-BR/bad-xml.md')).toEqual([['xml-malformed', 'warning', 39, 3]]);
    expect(found('docs/pt-BR/bad-xml.md').diagnostics[0].message).toMatch(/unbalanced tag/);
    // The copied page's includes climb out of the temporary folder: recorded, never read.
    expect(diag('docs/ru-RU/bad-json.md')).toEqual([
      ['include-outside-root', 'info', 19, 1],
      ['json-malformed', 'warning', 151, 7],
    ]);
    expect(
      found('docs/ru-RU/bad-json.md').diagnostics.find((d: { ruleId: string }) => d.ruleId === 'json-malformed')
        .message,
    ).toContain('HTML entity `&quot;`');
    expect(diag('docs/ru-RU/bad-http.md')).toEqual([
      ['include-outside-root', 'info', 19, 1],
      ['http-malformed', 'warning', 102, 1],
    ]);
  });
});

/**
 * `lockstep glossary` and `glossary()`: the do-not-translate list of the bundled docs, in CSV
 * (RFC 4180), JSON and TBX-Basic. The TBX is validated against the dialect's vendored RELAX NG
 * schema (xmllint-wasm) and its Schematron rules (evaluated here with xpath: the rules are
 * written for XSLT 2, which no npm validator runs; see fixtures/schemas/tbx-basic/README.md).
 */
import { DOMParser } from '@xmldom/xmldom';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import xpath from 'xpath';
import { validateXML } from 'xmllint-wasm';
import { glossary, type Glossary } from '../src/index.js';
import { foldPageNames } from '../src/glossary/glossary.js';
import { csvField, glossaryCsv, glossaryJson, glossaryTbx, renderGlossary } from '../src/report/glossary.js';
import { repoRoot } from './helpers/paths.js';
import { runCli } from './helpers/cli.js';

const tool = { name: 'lockstep', version: '0.0.0-test' } as const;
const schemaDir = path.join(repoRoot, 'fixtures/schemas/tbx-basic');
const rng = await readFile(path.join(schemaDir, 'TBXcoreStructV03_TBX-Basic_integrated.rng'), 'utf8');
const schematron = await readFile(path.join(schemaDir, 'TBX-Basic_DCA.sch'), 'utf8');

const disconnect = 'exchange/web-service-reference/disconnect-operation-um-web-service.md';
const callDelete = 'graph/api-reference/beta/api/call-delete.md';
const postCalls = 'graph/api-reference/beta/api/application-post-calls.md';
const inLocales = (page: string) => ['pt-BR', 'ru-RU', 'zh-CN'].map((l) => `docs/${l}/${page}`);

async function validTbxSchema(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'glossary.tbx', contents: xml }],
    schema: [{ fileName: 'tbx-basic.rng', contents: rng }],
    extension: 'relaxng',
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

/**
 * The vendored Schematron's rules run on a document: every rule's context is matched and its
 * asserts tested, with XPath 1.0. Its two XPath 2 forms are read in XPath 1 terms: `step/(a or b)`
 * as `step[a or b]` (the same nodes), and `matches(…)`, which cannot be, only where its rule's
 * context matches nothing (the glossary writes no `target`), so no rule is ever skipped silently.
 */
function schematronFailures(xml: string): string[] {
  const parse = (text: string) => new DOMParser().parseFromString(text, 'text/xml') as unknown as Node;
  const doc = parse(xml);
  const schema = parse(schematron);
  const sch = xpath.useNamespaces({ sch: 'http://purl.oclc.org/dsdl/schematron' });
  const namespaces = Object.fromEntries(
    (sch('//sch:ns', schema) as Element[]).map((n) => [n.getAttribute('prefix')!, n.getAttribute('uri')!]),
  );
  const select = xpath.useNamespaces(namespaces);
  const failures: string[] = [];
  for (const rule of sch('//sch:rule', schema) as Element[]) {
    const context = rule.getAttribute('context')!;
    const nodes = select(`//${context}`, doc) as Node[];
    for (const assert of sch('sch:assert', rule) as Element[]) {
      const test = assert.getAttribute('test')!.replace(/(\S+)\/\(([^()]*)\)/g, '$1[$2]');
      if (test.includes('matches(')) {
        if (nodes.length > 0)
          failures.push(`${context}: an XPath 2 test this evaluator cannot run matches ${nodes.length} nodes`);
        continue;
      }
      for (const node of nodes)
        if (!select(`boolean(${test})`, node)) failures.push(`${context}: ${assert.textContent?.trim() || test}`);
    }
  }
  return failures;
}

let docs: Glossary;
let tmp = '';
beforeAll(async () => {
  docs = await glossary(['docs'], { cwd: repoRoot });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'lockstep-glossary-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('glossary() on the bundled docs', () => {
  it('lists the identifiers the locales agree on, with their origins and pages', () => {
    expect(docs.summary).toEqual({ pages: 11, pageGroups: 4, terms: docs.terms.length });
    expect(docs.locales).toEqual(['pt-BR', 'ru-RU', 'zh-CN']);
    expect(docs.sourceLocale).toBeNull();
    const term = (name: string) => docs.terms.find((t) => t.term === name);
    expect(term('DisconnectResponse')).toEqual({
      term: 'DisconnectResponse',
      kind: 'identifier',
      origins: ['xml-element'],
      pages: inLocales(disconnect),
    });
    expect(term('CallId')).toEqual({
      term: 'CallId',
      kind: 'identifier',
      origins: ['xml-element'],
      pages: inLocales(disconnect),
    });
    // A plain word is a name in samples and a word in prose: said apart, for MT engines (--no-words).
    expect(term('Disconnect')?.kind).toBe('word');
    // Origins in the glossary's fixed order (samples before front matter), not in the order met.
    expect(term('Disconnect')?.origins).toEqual(['xml-element', 'api-name']);
    expect(term('@odata.type')).toEqual({
      term: '@odata.type',
      kind: 'identifier',
      origins: ['json-key'],
      pages: [...inLocales(postCalls), ...inLocales(callDelete)],
    });
    expect(term('Content-Type')?.origins).toEqual(['http-header']);
    // A word of one locale's prose is no term: no translated identifier protects itself.
    expect(docs.terms.map((t) => t.term).filter((t) => /[^\x00-\x7f]/.test(t))).toEqual([]);
  });

  it('sorts terms by code unit, so the list is the same on every machine', () => {
    const names = docs.terms.map((t) => t.term);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(names).size).toBe(names.length);
  });

  it('takes a source locale as the authority when one is named', async () => {
    const sourced = await glossary(['docs'], { cwd: repoRoot, sourceLocale: 'pt-BR' });
    expect(sourced.sourceLocale).toBe('pt-BR');
    expect(sourced.terms.find((t) => t.term === 'DisconnectResponse')?.pages).toEqual(inLocales(disconnect));
    const absent = await glossary(['docs'], { cwd: repoRoot, sourceLocale: 'en-US' });
    expect(absent.sourceLocale).toBeNull();
    expect(absent.terms).toEqual(docs.terms);
  });
});

describe('page names', () => {
  it('a page name known only from link targets joins the identifier it names, in page order', () => {
    const [pt, ru, zh] = inLocales(disconnect);
    const pageOrder = new Map([pt, ru, zh].map((page, i) => [page!, i]));
    const folded = foldPageNames(
      [
        { term: 'ResponseCode', origins: ['xml-element'], pages: [pt!, zh!] },
        { term: 'responsecode', origins: ['link-target'], pages: [ru!, zh!] },
        { term: 'useroptions', origins: ['link-target'], pages: [pt!] },
      ],
      pageOrder,
    );
    expect(folded).toEqual([
      { term: 'ResponseCode', origins: ['xml-element', 'link-target'], pages: [pt, ru, zh] },
      { term: 'useroptions', origins: ['link-target'], pages: [pt] },
    ]);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180: commas, quotes and line breaks only, quotes doubled', () => {
    expect(csvField('CallId')).toBe('CallId');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField('@odata.type; x')).toBe('@odata.type; x');
  });

  it('has a header row, one CRLF-ended row per term, and caps pages beside their count', () => {
    const csv = glossaryCsv(docs, { tool, maxPages: 2 });
    const lines = csv.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('term,kind,origins,page_count,pages');
    expect(lines).toHaveLength(docs.terms.length + 1);
    expect(lines).toContain(
      `DisconnectResponse,identifier,xml-element,3,${inLocales(disconnect).slice(0, 2).join(';')}`,
    );
    expect(lines).toContain(`Disconnect,word,xml-element api-name,3,${inLocales(disconnect).slice(0, 2).join(';')}`);
    expect(lines).toContain(`@odata.type,identifier,json-key,6,${inLocales(postCalls).slice(0, 2).join(';')}`);
    expect(csv.includes('\n') && !/[^\r]\n/.test(csv)).toBe(true);
  });

  it('quotes a page path holding a comma or a quote, and the row reads back', () => {
    const odd: Glossary = {
      ...docs,
      terms: [
        { term: 'CallId', kind: 'identifier', origins: ['xml-element'], pages: ['docs/a,b.md', 'docs/say "x".md'] },
      ],
    };
    expect(glossaryCsv(odd, { tool })).toBe(
      'term,kind,origins,page_count,pages\r\nCallId,identifier,xml-element,2,"docs/a,b.md;docs/say ""x"".md"\r\n',
    );
  });
});

describe('JSON', () => {
  it('has a stable, documented shape', () => {
    const json = JSON.parse(renderGlossary('json', docs, { tool, maxPages: 2 }));
    expect(Object.keys(json)).toEqual(['version', 'tool', 'sourceLocale', 'locales', 'summary', 'maxPages', 'terms']);
    expect(json).toMatchObject({
      version: 1,
      tool,
      sourceLocale: null,
      locales: ['pt-BR', 'ru-RU', 'zh-CN'],
      maxPages: 2,
    });
    expect(json.summary).toEqual({ pages: 11, pageGroups: 4, terms: docs.terms.length });
    expect(json.terms.find((t: { term: string }) => t.term === '@odata.type')).toEqual({
      term: '@odata.type',
      kind: 'identifier',
      origins: ['json-key'],
      pageCount: 6,
      pages: inLocales(postCalls).slice(0, 2),
    });
    for (const t of json.terms) expect(Object.keys(t)).toEqual(['term', 'kind', 'origins', 'pageCount', 'pages']);
  });

  it('lists every page with maxPages 0', () => {
    const json = glossaryJson(docs, { tool, maxPages: 0 });
    expect(json.maxPages).toBeNull();
    expect(json.terms.every((t) => t.pages.length === t.pageCount)).toBe(true);
  });
});

describe('TBX-Basic', () => {
  it('is valid against the TBX-Basic RELAX NG schema and its Schematron rules', async () => {
    const tbx = glossaryTbx(docs, { tool, inputs: ['docs'] });
    expect(await validTbxSchema(tbx)).toEqual([]);
    expect(schematronFailures(tbx)).toEqual([]);
  });

  it('marks every term do-not-translate: the same term, preferred, in every language', () => {
    const tbx = glossaryTbx(docs, { tool, maxPages: 2 });
    const select = xpath.useNamespaces({
      t: 'urn:iso:std:iso:30042:ed-2',
      xml: 'http://www.w3.org/XML/1998/namespace',
    });
    const values = (expr: string, node: Node) => (select(expr, node) as Node[]).map((n) => n.nodeValue);
    const doc = new DOMParser().parseFromString(tbx, 'text/xml') as unknown as Node;
    expect(select('string(/t:tbx/@xml:lang)', doc)).toBe('en');
    expect(select('count(//t:conceptEntry)', doc)).toBe(docs.terms.length);
    const entry = (select('//t:conceptEntry[t:langSec/t:termSec/t:term = "@odata.type"]', doc) as Node[])[0]!;
    expect(values('t:langSec/@xml:lang', entry)).toEqual(['en', 'pt-BR', 'ru-RU', 'zh-CN']);
    expect(values('t:langSec/t:termSec/t:term/text()', entry)).toEqual(Array(4).fill('@odata.type'));
    expect(values('t:langSec/t:termSec/t:termNote[@type="administrativeStatus"]/text()', entry)).toEqual(
      Array(4).fill('preferredTerm-admn-sts'),
    );
    expect(select('string(t:langSec[1]/t:termSec/t:note)', entry)).toMatch(/^Do not translate/);
    expect(select('string(t:note[1])', entry)).toBe('origins: json-key');
    expect(values('t:admin[@type="source"]/text()', entry)).toEqual(inLocales(postCalls).slice(0, 2));
    expect(select('string(t:note[2])', entry)).toBe('used on 6 pages; the first 2 are listed');
    // A plain word (the element `Disconnect`) is a name in code and a word in prose: admitted, with a note saying so.
    const word = (select('//t:conceptEntry[t:langSec/t:termSec/t:term = "Disconnect"]', doc) as Node[])[0]!;
    expect(values('t:langSec/t:termSec/t:termNote[@type="administrativeStatus"]/text()', word)).toEqual(
      Array(4).fill('admittedTerm-admn-sts'),
    );
    expect(select('string(t:langSec[1]/t:termSec/t:note)', word)).toMatch(
      /^Do not translate where it stands as a name/,
    );
  });

  it("names the source locale as the terms' language when there is one, and escapes markup", async () => {
    const odd: Glossary = {
      ...docs,
      sourceLocale: 'ru-RU',
      terms: [{ term: 'a&b<c>', kind: 'identifier', origins: ['code'], pages: ['docs/"x" & <y>.md'] }],
    };
    const tbx = glossaryTbx(odd, { tool });
    expect(tbx).toContain('<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="ru-RU">');
    expect(tbx).toContain('<term>a&amp;b&lt;c&gt;</term>');
    expect(tbx).toContain('<admin type="source">docs/&quot;x&quot; &amp; &lt;y&gt;.md</admin>');
    expect(await validTbxSchema(tbx)).toEqual([]);
    expect(schematronFailures(tbx)).toEqual([]);
  });

  it('the validators reject what TBX-Basic forbids (so a pass means something)', async () => {
    const tbx = glossaryTbx(docs, { tool });
    expect(await validTbxSchema(tbx.replace('<conceptEntry id="c1">', '<conceptEntry>'))).not.toEqual([]);
    expect(await validTbxSchema(tbx.replace('type="administrativeStatus"', 'type="doNotTranslate"'))).not.toEqual([]);
    expect(schematronFailures(tbx.replace('>preferredTerm-admn-sts<', '>doNotTranslate<'))).toHaveLength(1);
    expect(schematronFailures(tbx.replace('type="TBX-Basic"', 'type="TBX-Other"'))).toHaveLength(1);
  });

  it('refuses an empty glossary: a TBX body holds one concept at least', () => {
    expect(() => glossaryTbx({ ...docs, terms: [] }, { tool })).toThrow(/empty glossary/);
  });
});

const cli = (args: string[]) => runCli(args);

describe('lockstep glossary', () => {
  it('prints CSV by default, and the count of terms on stderr', async () => {
    const { code, stdout, stderr } = await cli(['glossary', 'docs']);
    expect(code).toBe(0);
    expect(stdout).toBe(glossaryCsv(docs, { tool: { name: 'lockstep', version: '0.1.0' } }));
    expect(stderr).toBe(`lockstep: ${docs.terms.length} terms from 11 pages in 4 page groups\n`);
  });

  it('leaves plain words out with --no-words, for MT engines that would keep them in prose', async () => {
    const { code, stdout, stderr } = await cli(['glossary', 'docs', '--no-words']);
    expect(code).toBe(0);
    const identifiers = docs.terms.filter((t) => t.kind === 'identifier');
    expect(identifiers.length).toBeLessThan(docs.terms.length);
    expect(stdout).toBe(glossaryCsv({ ...docs, terms: identifiers }, { tool: { name: 'lockstep', version: '0.1.0' } }));
    expect(stderr).toBe(`lockstep: ${identifiers.length} terms from 11 pages in 4 page groups\n`);
  });

  it('writes every format to --output-dir', async () => {
    const dir = path.join(tmp, 'out');
    const { code, stderr } = await cli([
      'glossary',
      'docs',
      '-f',
      'csv',
      '-f',
      'json',
      '-f',
      'tbx',
      '--output-dir',
      dir,
    ]);
    expect(code).toBe(0);
    for (const ext of ['csv', 'json', 'tbx']) expect(stderr).toContain(`lockstep-glossary.${ext}`);
    const tbx = await readFile(path.join(dir, 'lockstep-glossary.tbx'), 'utf8');
    expect(await validTbxSchema(tbx)).toEqual([]);
    expect(JSON.parse(await readFile(path.join(dir, 'lockstep-glossary.json'), 'utf8')).summary.terms).toBe(
      docs.terms.length,
    );
  });

  const usage: [string[], RegExp][] = [
    [['glossary', 'no-such-docs'], /^lockstep: no-such-docs: no such file or folder\n$/],
    [
      ['glossary', 'docs', '-f', 'xlsx'],
      /^lockstep: option '-f, --format <format>' argument 'xlsx' is invalid\. expected one of csv, json, tbx \(run/,
    ],
    [['glossary', 'docs', '-o', 'docs'], /^lockstep: --output docs: is a folder \(use --output-dir for a folder\)\n$/],
    [
      ['glossary', 'docs', '-o', 'no-such-folder/g.csv'],
      /^lockstep: --output no-such-folder\/g\.csv: no such folder no-such-folder\n$/,
    ],
    [['glossary', 'docs', '-f', 'csv', '-f', 'tbx'], /^lockstep: 2 formats need --output-dir \(one file each\)\n$/],
    [
      ['glossary', 'docs', '-o', 'g.csv', '--output-dir', 'out'],
      /^lockstep: --output and --output-dir exclude each other\n$/,
    ],
    [['glossary', 'docs', '--output-dir', 'README.md'], /^lockstep: --output-dir README\.md: not a folder\n$/],
    [['glossary', 'docs', '--max-pages', '-1'], /^lockstep: option '--max-pages <n>' argument '-1' is invalid/],
  ];
  it.each(usage)('misuse %j: one line, exit 2, nothing written', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^lockstep: [^\n]+\n$/); // one line
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('exits 1 and writes nothing when no page gives a term', async () => {
    const { code, stdout, stderr } = await cli(['glossary', 'docs/*/nothing-here/*.md', '-f', 'tbx']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no term found in docs\/\*\/nothing-here\/\*\.md \(0 pages\): nothing written/);
  });

  it('runs from bin/lockstep.js (the built CLI), writing TBX atomically with -o', async () => {
    const bin = path.join(repoRoot, 'bin/lockstep.js');
    if (!existsSync(path.join(repoRoot, 'dist/cli/main.js'))) {
      console.warn('[lockstep tests] skipping the built-CLI glossary run: dist/ is not built (npm run build)');
      return;
    }
    const file = path.join(tmp, 'docs.tbx');
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [bin, 'glossary', 'docs', '-f', 'tbx', '-o', file, '--source-locale', 'pt-BR'],
      { cwd: repoRoot },
    );
    expect(stderr).toContain(`lockstep: wrote ${file}`);
    const tbx = await readFile(file, 'utf8');
    expect(tbx).toContain('xml:lang="pt-BR"');
    expect(await validTbxSchema(tbx)).toEqual([]);
    expect(schematronFailures(tbx)).toEqual([]);
  });
});

/**
 * Rule docs are documents: `rules/<id>.md` at the package root says what a rule reports and why, and
 * holds its ok / not-ok pages literally, with the exact findings they give and the pages `lockstep
 * lint --fix` makes of them. The test suite runs every example (test/rules.test.ts), so a doc cannot
 * drift from the rule. The format, in the order it comes:
 *
 *     # <id>
 *     - Severity: error|warning|info[ (off by default…)]
 *     - Family: samples|identifiers|links|metadata
 *     - Repair: …                                 (prose)
 *     <description: one paragraph, what reports print>
 *     ## Why                                      (markdown until the next `## `)
 *     ## ok / ## not ok                           (each example a `### title` below them)
 *     `pt-BR/page.md`                             (a page's path alone on its line, then the page in a fence)
 *     #### Findings                               (a fence of `locale line:column message` lines)
 *     #### After `lockstep lint --fix`            (then the pages it changes, as above)
 *
 * It is read by the small line scanner below rather than remark: the linter reads descriptions at
 * start-up (reporters describe rules), and pulling in a markdown parser for 17 small files there
 * would cost more than the scan. The scanner follows CommonMark's fence rules (a fence closes with
 * at least as many of its own character), so a page's own ``` samples nest inside a ```` fence;
 * test/rules.test.ts checks that remark-parse reads the same pages from every doc.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Severity } from '../../diagnostics/diagnostic.js';
import type { RuleDocs, RuleExample, RuleFamily, RuleMeta } from '../rule.js';

/**
 * The docs folder: `rules/` at the package's root, the nearest folder above this module holding a package.json and
 * `rules/` (this module is at `lint/rules/` under `src/` or `dist/`, or inside `dist/run/worker.bundle.js`).
 */
function docsFolder(): URL {
  for (let dir = new URL('./', import.meta.url); ;) {
    if (existsSync(new URL('package.json', dir)) && existsSync(new URL('rules/', dir))) return new URL('rules/', dir);
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return new URL('../../../rules/', import.meta.url); // said in the read's error
    dir = parent;
  }
}
let docsDir: URL | undefined;

const read = new Map<string, RuleDocs>();

/** The doc of a rule, read and parsed once. */
export function ruleDocs(id: string): RuleDocs {
  let docs = read.get(id);
  if (!docs) {
    const url = new URL(`${id}.md`, (docsDir ??= docsFolder()));
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch (e) {
      throw new Error(`the doc of rule ${id} cannot be read (${url.pathname}): ${(e as Error).message}`);
    }
    const file = `rules/${id}.md`;
    // Reporters describe every rule when they load: the head alone says that; the rest waits to be asked for.
    const head = parseRuleDoc(text, file, true);
    let whole: RuleDocs | undefined;
    const rest = () => (whole ??= parseRuleDoc(text, file));
    docs = {
      ...head,
      get why() {
        return rest().why;
      },
      get ok() {
        return rest().ok;
      },
      get notOk() {
        return rest().notOk;
      },
    };
    read.set(id, docs);
  }
  return docs;
}

/** A rule's meta with its docs read from `rules/<id>.md` on first use: linting itself never reads them. */
export function documented(meta: Omit<RuleMeta, 'docs'>): RuleMeta {
  return Object.defineProperty({ ...meta }, 'docs', { get: () => ruleDocs(meta.id), enumerable: true }) as RuleMeta;
}

const FENCE_OPEN = /^(`{3,}|~{3,})([^`]*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
const PAGE_PATH = /^`([^`\s]+)`$/;

/**
 * Parses a rule doc (`file` names it in errors); throws on what the format does not allow. With
 * `headOnly`, stops at the first `##` section: the title, facts and description.
 */
export function parseRuleDoc(text: string, file: string, headOnly = false): RuleDocs {
  const end = headOnly ? text.indexOf('\n## ') + 1 : 0;
  const lines = (end > 0 ? text.slice(0, end) : text).split('\n');
  const fail = (i: number, what: string): never => {
    throw new Error(`${file}:${i + 1}: ${what}`);
  };
  const docs: RuleDocs = {
    id: '',
    path: file,
    severity: 'error',
    defaultOff: false,
    family: 'samples',
    repair: '',
    description: '',
    why: '',
    ok: [],
    notOk: [],
  };
  let section: 'head' | 'why' | 'ok' | 'not ok' | 'other' = 'head';
  const why: string[] = [];
  const description: string[] = [];
  let example: RuleExample | null = null;
  /** Where the next fence goes: a page of the example, a fixed page, or the findings. */
  let target: 'pages' | 'fixed' | 'findings' = 'pages';
  let path: string | null = null;
  const seen = { severity: false, family: false };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE_OPEN.exec(line);
    if (open) {
      const marker = open[1]!;
      const start = i;
      const body: string[] = [];
      for (i++; ; i++) {
        if (i >= lines.length) fail(start, 'a fence that is never closed');
        const close = lines[i]!.trimEnd();
        if (close.length >= marker.length && close === marker[0]!.repeat(close.length)) break;
        body.push(lines[i]!);
      }
      if (section === 'why') why.push(...lines.slice(start, i + 1));
      if (section === 'why' || section === 'other') continue;
      if (!example) fail(start, 'a fence outside an example');
      // A fence's text is its lines, each ending with a line break (every page ends with one).
      const content = body.map((l) => `${l}\n`).join('');
      if (target === 'findings') {
        if (path !== null) fail(start, 'a page path before the findings');
        if (example!.expect.length > 0) fail(start, 'a second fence of findings');
        example!.expect = body.filter((l) => l !== '');
        continue;
      }
      if (path === null) fail(start, 'a fence with no page path before it');
      const pages = target === 'fixed' ? (example!.fixed ??= {}) : example!.pages;
      if (path! in pages) fail(start, `page ${path} twice`);
      pages[path!] = content;
      path = null;
      continue;
    }
    if (path !== null && line.trim() !== '') fail(i, `the page path ${path} is not followed by its fence`);

    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const title = heading[2]!;
      if (level === 1) {
        if (docs.id) fail(i, 'a second title');
        docs.id = title.replace(/^`(.*)`$/, '$1');
      } else if (level === 2) {
        if (headOnly) break;
        example = null;
        const name = title.toLowerCase();
        section = name === 'why' ? 'why' : name === 'ok' ? 'ok' : name === 'not ok' ? 'not ok' : 'other';
      } else if (level === 3 && (section === 'ok' || section === 'not ok')) {
        example = { title, pages: {}, expect: [] };
        target = 'pages';
        (section === 'ok' ? docs.ok : docs.notOk).push(example);
      } else if (level === 4 && example) {
        if (/^findings\b/i.test(title)) target = 'findings';
        else if (/^after\b.*--fix/i.test(title)) target = 'fixed';
        else fail(i, `an example's part is \`#### Findings\` or \`#### After \\\`lockstep lint --fix\\\`\``);
        if (target === 'findings' && section === 'ok') fail(i, 'an ok example has no findings');
      } else if (section === 'why') why.push(line);
      else fail(i, `a heading the format does not have: ${line}`);
      continue;
    }

    if (section === 'head') {
      const item = /^- (\w+): (.*)$/.exec(line);
      // A fact's text may go on over indented lines (a list item's continuation).
      if (/^ {2}\S/.test(line) && docs.repair && description.length === 0 && /^(- | {2})/.test(lines[i - 1]!)) {
        docs.repair += ` ${line.trim()}`;
      } else if (item && description.length === 0) {
        const [, key, value] = item;
        if (key === 'Severity') {
          const m = /^(error|warning|info)( \(off by default\b.*\))?$/.exec(value!);
          if (!m) fail(i, `a severity is error, warning or info: ${value}`);
          docs.severity = m![1] as Severity;
          docs.defaultOff = Boolean(m![2]);
          seen.severity = true;
        } else if (key === 'Family') {
          docs.family = value as RuleFamily;
          seen.family = true;
        } else if (key === 'Repair') docs.repair = value!;
        else fail(i, `an unknown fact: ${key}`);
      } else if (line.trim() !== '') {
        if (!docs.id) fail(i, 'text before the title');
        // The first paragraph after the facts; its soft line breaks are spaces, as when rendered.
        if (description.length > 0 && lines[i - 1]!.trim() === '')
          fail(i, 'the description is one paragraph; the rest goes under `## Why`');
        description.push(line.trim());
      }
    } else if (section === 'why') why.push(line);
    else if (example && PAGE_PATH.test(line)) {
      if (target === 'findings') fail(i, 'a page path among the findings');
      path = PAGE_PATH.exec(line)![1]!;
    }
  }
  if (path !== null) fail(lines.length - 1, `the page path ${path} is not followed by its fence`);
  if (!docs.id) fail(0, 'no `# <rule id>` title');
  if (!seen.severity || !seen.family) fail(0, 'no `- Severity:` or `- Family:` line');
  if (description.length === 0) fail(0, 'no description paragraph');
  docs.description = description.join(' ');
  docs.why = why.join('\n').trim();
  return docs;
}

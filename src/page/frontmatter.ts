import matter from 'gray-matter';
import { parseDocument, isMap, isScalar, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { positionAt } from '../util/text.js';
import { scanFlatFrontMatter } from './flat-frontmatter.js';

export interface FrontMatterKey {
  key: string;
  /** 1-based line in the page. */
  line: number;
}

export interface FrontMatter {
  /** Parsed values; empty when the YAML is broken. */
  data: Record<string, unknown>;
  /** The YAML text between the delimiters. */
  raw: string;
  /** Line of the opening `---` (always 1) and of the closing one. */
  startLine: number;
  endLine: number;
  keys: FrontMatterKey[];
  valid: boolean;
}

export interface FrontMatterResult {
  frontMatter: FrontMatter | null;
  /** Offset where the markdown body begins (after the closing delimiter's line). */
  bodyOffset: number;
  diagnostics: Diagnostic[];
}

/**
 * Split and parse a page's front matter. Flat front matter (most of it) is read by a scanner
 * that gives what YAML gives (page/flat-frontmatter.ts); the rest goes to gray-matter and YAML.
 */
export function parseFrontMatter(text: string, file: string): FrontMatterResult {
  const flat = scanFlatFrontMatter(text);
  if (!flat) return parseFrontMatterYaml(text, file);
  const bodyOffset = flat.close + (flat.close + 4 < text.length ? 5 : 4); // past `\n---` and its line break
  return {
    frontMatter: {
      data: flat.data,
      raw: text.slice(3, flat.close),
      startLine: 1,
      endLine: flat.lines + 2,
      keys: flat.keys,
      valid: true,
    },
    bodyOffset,
    diagnostics: [],
  };
}

/**
 * Split and parse YAML front matter with gray-matter, using the `yaml` package as
 * its engine so that errors carry lines, duplicate keys are errors and dates stay
 * strings (YAML 1.2 core schema).
 */
export function parseFrontMatterYaml(text: string, file: string): FrontMatterResult {
  const diagnostics: Diagnostic[] = [];
  if (!/^---[ \t]*\r?\n/.test(text)) return { frontMatter: null, bodyOffset: 0, diagnostics };

  let document: Document.Parsed | null = null;
  let file_: matter.GrayMatterFile<string>;
  try {
    // Passing options also keeps gray-matter from caching by content across calls.
    file_ = matter(text, {
      engines: {
        yaml: {
          parse: (yamlText: string) => {
            // gray-matter leaves a CR from CRLF line ends on the last line: normalize before parsing.
            document = parseDocument(yamlText.replace(/\r\n?/g, '\n'), { uniqueKeys: true, prettyErrors: false });
            return {};
          },
          stringify: () => '',
        },
      },
    } as unknown as Parameters<typeof matter>[1]);
  } catch (error) {
    diagnostics.push({
      ruleId: 'frontmatter-invalid',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: `front matter could not be split: ${(error as Error).message}`,
    });
    return { frontMatter: null, bodyOffset: 0, diagnostics };
  }
  const raw = file_.matter.replace(/\r\n?/g, '\n');
  // gray-matter treats a missing closing delimiter as "everything is front matter".
  const firstLineEnd = text.indexOf('\n') + 1;
  const closing = /\r?\n---[ \t]*(?:\r?\n|$)/.exec(text.slice(firstLineEnd - 1));
  if (!closing) {
    diagnostics.push({
      ruleId: 'frontmatter-invalid',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: 'front matter opened with `---` on line 1 is never closed; the page is read as markdown',
    });
    return { frontMatter: null, bodyOffset: 0, diagnostics };
  }
  const closeStart = firstLineEnd - 1 + closing.index + (closing[0].startsWith('\r') ? 2 : 1);
  const bodyOffset = firstLineEnd - 1 + closing.index + closing[0].length;
  const endLine = positionAt(text, closeStart).line;
  // gray-matter's raw text starts right after the opening `---`, so its line 1 is the page's line 1.
  const yamlStartLine = 1;

  const doc = document as Document.Parsed | null;
  const data: Record<string, unknown> = {};
  const keys: FrontMatterKey[] = [];
  let valid = true;
  if (doc) {
    for (const error of doc.errors) {
      valid = false;
      const pos = error.linePos?.[0];
      let line = Math.max(2, (pos?.line ?? 1) + yamlStartLine - 1);
      let column = pos?.col ?? 1;
      let message = `front matter is not valid YAML: ${firstLine(error.message)}`;
      if (error.code === 'DUPLICATE_KEY') {
        // yaml points at the map; name the repeated key and its second line instead.
        const duplicate = findDuplicateKey(raw);
        if (duplicate) {
          line = duplicate.line;
          column = 1;
          message = `front matter repeats the key \`${duplicate.key}\` (first on line ${duplicate.firstLine})`;
        }
      }
      diagnostics.push({ ruleId: 'frontmatter-invalid', severity: 'error', file, line, column, message });
    }
    if (valid) {
      const contents = doc.contents;
      if (contents !== null && !isMap(contents)) {
        valid = false;
        diagnostics.push({
          ruleId: 'frontmatter-invalid',
          severity: 'error',
          file,
          line: 2,
          column: 1,
          message: 'front matter is not a YAML mapping of keys to values',
        });
      } else if (isMap(contents)) {
        let value: Record<string, unknown> = {};
        try {
          // Resolving aliases can still fail (an alias before its anchor), and is bounded against alias bombs.
          value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
        } catch (error) {
          valid = false;
          diagnostics.push({
            ruleId: 'frontmatter-invalid',
            severity: 'error',
            file,
            line: 2,
            column: 1,
            message: `front matter is not valid YAML: ${firstLine((error as Error).message)}`,
          });
        }
        Object.assign(data, value);
        for (const item of contents.items) {
          const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
          const offset = (item.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
          keys.push({ key, line: positionAt(raw, offset).line + yamlStartLine - 1 });
        }
      }
    }
  }
  return { frontMatter: { data, raw, startLine: 1, endLine, keys, valid }, bodyOffset, diagnostics };
}

function findDuplicateKey(raw: string): { key: string; line: number; firstLine: number } | null {
  const lenient = parseDocument(raw, { uniqueKeys: false });
  if (!isMap(lenient.contents)) return null;
  const seen = new Map<string, number>();
  for (const item of lenient.contents.items) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const line = positionAt(raw, (item.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0).line;
    const first = seen.get(key);
    if (first !== undefined) return { key, line, firstLine: first };
    seen.set(key, line);
  }
  return null;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

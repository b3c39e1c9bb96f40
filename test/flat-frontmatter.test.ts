/**
 * Flat front matter is read without YAML (page/flat-frontmatter.ts): whatever the scanner reads
 * must be exactly what gray-matter and YAML give, and anything it cannot be sure of goes to them.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../src/discover/discover.js';
import { parseFrontMatter, parseFrontMatterYaml } from '../src/page/frontmatter.js';
import { scanFlatFrontMatter } from '../src/page/flat-frontmatter.js';
import { contentIdentityOf } from '../src/page/identity.js';
import { repoRoot } from './helpers/paths.js';

const page = (lines: string[]) => `---\n${lines.join('\n')}\n---\n# Title\n`;
const id = 'ms.assetid: 47b8c3ed-0c16-4f24-9ea4-3e1d0f1c0a11';
/** The whole result, and the data's key order, as the YAML path gives them. */
const sameAsYaml = (text: string, name: string) => {
  const fast = parseFrontMatter(text, 'x.md');
  const yaml = parseFrontMatterYaml(text, 'x.md');
  expect(fast, name).toEqual(yaml);
  expect(Object.keys(fast.frontMatter?.data ?? {}), name).toEqual(Object.keys(yaml.frontMatter?.data ?? {}));
};

// Read by the scanner.
const read: [string, string[]][] = [
  [
    'a Graph page',
    [
      'title: Получение объекта',
      'description: "Чтение свойств."',
      'ms.contentlocale: ru-RU',
      'ms.locfileid: "65858926"',
      'ms.lasthandoff: 06/02/2022',
    ],
  ],
  [
    'an Exchange page with lists and blank lines',
    [
      'title: "GetServiceConfiguration"',
      ' ',
      'api_name:',
      '- GetServiceConfiguration',
      'api_type:',
      '  - schema',
      '  - "other"',
      '',
      '  - third',
      id,
      '# a comment',
    ],
  ],
  ['quoted values, an empty string', ["ms.contentlocale: 'zh-CN'", 'ms.assetid: "ABC-1"', 'ms.custom: ""']],
  ['plain values with inner colons, brackets and hashes', ['title: a:b [c] {d} e,f x#y', id]],
  ['no identity keys', ['title: x']],
  ['an empty front matter', []],
  ['a blank front matter', ['', '  ']],
  ['only comments', ['# one', '#two']],
  ['keys with no value, one of them the identity', ['ms.topic:', 'ms.assetid:', 'ms.date: 2015-09-17']],
  ['an identity list', ['ms.assetid:', '- first', '- second']],
  ['YAML 1.1 boolean words (strings in YAML 1.2)', ['ms.contentlocale: no', 'ms.assetid: yes', 'other: on']],
  ['a GUID that starts with digits', ['ms.assetid: 12345678-90ab-cdef-1234-567890abcdef']],
];
// Left to YAML.
const fallBack: [string, string[]][] = [
  ['a number', ['ms.assetid: 12345']],
  ['a float in exponent form', ['ms.assetid: 1e3']],
  ['a hex number', ['ms.assetid: 0x1F']],
  ['a boolean', ['ms.contentlocale: true']],
  ['null', ['ms.assetid: ~']],
  ['a number in a list', ['k:', '- 1']],
  ['an empty list item', ['k:', '-  ']],
  ['a repeated key (a YAML error)', ['title: a', 'title: b', id]],
  ['keys YAML reads as the same boolean', ['true: a', 'True: b', id]],
  ['a __proto__ key', ['__proto__: a', id]],
  ['a value holding ": " (a YAML error)', ['title: a: b', id]],
  ['a comment after a value', ['ms.assetid: abc # note']],
  ['an escape in double quotes', ['ms.assetid: "a\\u0041"']],
  ['a doubled single quote', ["title: 'it''s'", id]],
  ['a continuation line', ['title: one', '  two', id]],
  ['a nested map', ['meta:', '  a: 1', id]],
  ['a block scalar', ['title: |', '  text', id]],
  ['an anchor', ['title: &a x', id]],
  ['a tab', ['title:\tx', id]],
  ['a list item after a value', ['title: x', '- y', id]],
  ['list items at two indentations', ['k:', '  - a', '- b', id]],
  ['a flow value', ['title: [a, b]', id]],
  ['a directive', ['%YAML 1.2', id]],
  ['an indented key', ['  title: x', id]],
  ['an indented comment', ['title: x', '  # note', id]],
];

describe('flat front matter without YAML', () => {
  it('reads flat front matter exactly as gray-matter and YAML do', () => {
    for (const [name, lines] of read) {
      const text = page(lines);
      expect(scanFlatFrontMatter(text), name).not.toBeNull();
      sameAsYaml(text, name);
      sameAsYaml(page(lines).replace(/\n# Title\n$/, ''), `${name}, closing line at the end of the file`);
    }
    sameAsYaml('---\n---\n# Title\n', 'no line between the delimiters');
    expect(
      contentIdentityOf(parseFrontMatter(page(['ms.contentlocale: ru-ru', id]), 'x.md').frontMatter!.data),
    ).toEqual({ declaredLocale: 'ru-RU', assetId: '47b8c3ed-0c16-4f24-9ea4-3e1d0f1c0a11' });
  });

  it('leaves anything it cannot be sure of to YAML, which still reads it (or reports it)', () => {
    for (const [name, lines] of fallBack) {
      expect(scanFlatFrontMatter(page(lines)), name).toBeNull();
      sameAsYaml(page(lines), name);
    }
    // Delimiters other than a bare `---` line, CRLF line ends, a BOM, no closing line, no front matter.
    for (const text of [
      '--- \nms.assetid: a\n---\n',
      '---\r\nms.assetid: a\r\n---\r\n',
      '\uFEFF---\nms.assetid: a\n---\n',
      '---\nms.assetid: a\n',
      '---\nms.assetid: a\n----\n',
      '---\nms.assetid: a\n--- \n',
      '# no front matter\n',
    ]) {
      expect(scanFlatFrontMatter(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('reads most bundled pages and lint fixtures, exactly as YAML does', async () => {
    const { files } = await discoverFiles(['docs', 'fixtures'], { cwd: repoRoot });
    let scanned = 0;
    for (const file of files) {
      const text = await readFile(file.absPath, 'utf8');
      if (scanFlatFrontMatter(text)) scanned++;
      sameAsYaml(text, file.displayPath);
    }
    expect(scanned).toBeGreaterThan(files.length * 0.9);
  });
});

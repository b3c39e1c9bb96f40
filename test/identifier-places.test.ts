/**
 * Identifier damage in table cells, bold text and front matter titles, on real Exchange pages
 * (fixtures/identifier-places).
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { identifierTranslated } from '../src/lint/rules/identifier-translated.js';
import { repoRoot } from './helpers/paths.js';
import { lintVirtual } from './helpers/virtual.js';

describe('identifier-translated outside link texts and headings, on real pages', async () => {
  const result = await lint(['fixtures/identifier-places'], { cwd: repoRoot, sourceLocale: 'en-US' });
  const found = result.diagnostics.map(
    (d) => `${d.file.replace('fixtures/identifier-places/', '')}:${d.line}:${d.column} ${d.message}`,
  );

  it('finds a translated enum value in a table cell, with the column header as context', () => {
    expect(found).toContain(
      'pt-BR/getdelegate.md:49:2 identifier `False` is translated or transliterated in this table cell ' +
        '(column `Valor`, row 2) (`Falso`); ru-RU, zh-CN have it',
    );
  });
  it('finds identifiers translated in bold text, paired with the same span in the other locales', () => {
    expect(found).toContain(
      'ru-RU/accounttype-pox.md:55:72 identifier `email` is translated or transliterated in this bold text ' +
        '(`— это электронная`); pt-BR, zh-CN have it',
    );
    expect(found).toContain(
      'ru-RU/mailbox-string.md:46:29 identifier `Mailbox` is translated or transliterated in this bold text ' +
        '(`Почтовый ящик`); pt-BR has it',
    );
  });
  it('finds an element name translated in the front matter title', () => {
    expect(found).toContain(
      'pt-BR/lastname.md:2:1 identifier `LastName` is translated or transliterated in the front matter title ' +
        '(`Sobrenome`); ru-RU, zh-CN have it',
    );
  });
  it('finds a bold name translated in a table cell whose name column links the right name', () => {
    // isequalto.md:73 `|[Or](or.md) <br/> |… **Ou** deve ter dois ou mais filhos.|`: the link is another cell.
    expect(found).toContain(
      'pt-BR/isequalto.md:73:196 identifier `Or` is translated or transliterated in this bold text (`Ou`); ' +
        'zh-CN has it',
    );
  });
  it('says nothing when translation moved the bold off a name that still stands in its cell', () => {
    // zh-CN carphones.md:43 `指定与其关联的 Value 元素的属性 **数组** 。`: en-US bolds **Value**, zh-CN the word "array".
    expect(found.filter((f) => f.includes('carphones.md'))).toEqual([]);
  });
  it('says each damage once, and nothing about the pages that keep their names', () => {
    expect(result.diagnostics.filter((d) => d.ruleId !== 'identifier-translated')).toEqual([]);
    expect(found).toHaveLength(9);
  });
});

describe('bold text paired by rank, where translation reordered the spans', () => {
  const lintRu = (ru: string) =>
    lintVirtual(
      {
        'pt-BR/a.md': '# A\n\nO **MailboxType** e o **ItemId** do item.\n',
        'zh-CN/a.md': '# A\n\n**MailboxType** 和 **ItemId**。\n',
        'ru-RU/a.md': `# A\n\n${ru}\n`,
      },
      [identifierTranslated],
    ).map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`);

  it('says nothing when the name stands in another bold text of the page, in its plural or in code too', () => {
    expect(lintRu('**ItemId** и **MailboxType** элемента.')).toEqual([]);
    expect(lintRu('**ItemId** и **`MailboxType`s** элемента.')).toEqual([]);
  });
  it('finds the name translated when no bold text of the page holds it', () => {
    expect(lintRu('**ТипПочты** и **ItemId** элемента.')).toEqual([
      'docs/ru-RU/a.md:3:1 identifier `MailboxType` is translated or transliterated in this bold text ' +
        '(`ТипПочты`); pt-BR, zh-CN have it',
    ]);
  });
});

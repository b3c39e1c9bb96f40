#!/usr/bin/env node
/**
 * Writes fixtures/lint/: copies of the real pages in docs/, each case with one defect
 * (or, for the traps, one legitimate translation change), and what lint must say.
 * The expected line is where this script put the defect, never lockstep's own output.
 * Run: node scripts/make-lint-fixtures.mjs
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'fixtures/lint');
const read = (rel) => readFile(path.join(root, 'docs', rel), 'utf8');
const deleteCall = 'graph/api-reference/beta/api/call-delete.md';
const disconnect = 'exchange/web-service-reference/disconnect-operation-um-web-service.md';
const lineOf = (text, needle) => {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`marker not found: ${needle}`);
  return text.slice(0, at).split('\n').length;
};
const replaceOnce = (text, from, to) => {
  if (!text.includes(from)) throw new Error(`not found: ${from}`);
  return text.replace(from, to);
};

const calls = Object.fromEntries(
  await Promise.all(['pt-BR', 'ru-RU', 'zh-CN'].map(async (l) => [l, await read(`${l}/${deleteCall}`)])),
);
// The Disconnect pages at one revision: pt-BR is moved to the ru-RU/zh-CN revision (front matter only).
const discs = Object.fromEntries(
  await Promise.all(['pt-BR', 'ru-RU', 'zh-CN'].map(async (l) => [l, await read(`${l}/${disconnect}`)])),
);
discs['pt-BR'] = discs['pt-BR']
  .replace(
    'ms.openlocfilehash: 42e069233fbfc255d43983571c0bb28475a1fe90',
    'ms.openlocfilehash: a1268f9ea3d879f472e019bf1847fc13d65d1819',
  )
  .replace('ms.lasthandoff: 09/24/2021', 'ms.lasthandoff: 06/03/2020');

/** Each case: base pages, a mutation of one locale, the rule, and the marker of the defect's line. */
const cases = [];
const defect = (name, base, locale, mutate, rule, marker, note) =>
  cases.push({ name, base, locale, mutate, rule, marker, note });
const trap = (name, base, locale, mutate, silent, note) => cases.push({ name, base, locale, mutate, silent, note });

defect(
  'sample-malformed',
  calls,
  'zh-CN',
  (t) => replaceOnce(t, '"changeType": "deleted"', '&quot;changeType&quot;: "deleted"'),
  'sample-malformed',
  '&quot;changeType',
  'machine translation injected an HTML entity into the JSON body',
);
defect(
  'sample-missing',
  calls,
  'ru-RU',
  (t) => replaceOnce(t, '```http\nHTTP/1.1 204 No Content\n```\n', ''),
  'sample-missing',
  '### <a name="response">',
  'the 204 response block was dropped; reported at the heading of its section',
);
defect(
  'sample-extra',
  calls,
  'pt-BR',
  (t) =>
    replaceOnce(
      t,
      '# <a name="c"></a>',
      '```http\nDELETE https://graph.microsoft.com/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896\n' +
        '```\n# <a name="c"></a>',
    ),
  'sample-extra',
  '```http\nDELETE https://graph.microsoft.com/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896\n' +
    '```\n# <a name="c">',
  'the request block was duplicated',
);
defect(
  'sample-mismatch-json',
  calls,
  'ru-RU',
  (t) => replaceOnce(t, '"state": "terminated"', '"state": "прекращено"'),
  'sample-mismatch',
  '"state": "прекращено"',
  'an enum value in the notification body was translated',
);
defect(
  'sample-mismatch-xml',
  discs,
  'zh-CN',
  (t) => replaceOnce(t, '<CallId>MDlk', '<CallID>MDlk').replace('</CallId>', '</CallID>'),
  'sample-mismatch',
  '<CallID>',
  'an element name was re-cased in the SOAP request',
);
defect(
  'sample-mismatch-http',
  calls,
  'pt-BR',
  (t) =>
    replaceOnce(
      t,
      'DELETE https://graph.microsoft.com/beta/communications/calls/57dab8b1',
      'DELETE https://graph.microsoft.com/beta/comunicacoes/calls/57dab8b1',
    ),
  'sample-mismatch',
  'DELETE https://graph.microsoft.com/beta/comunicacoes',
  'a URL path segment was translated',
);
defect(
  'sample-lang-mismatch',
  calls,
  'zh-CN',
  (t) =>
    replaceOnce(
      t,
      '<!-- { "blockType": "ignored" } -->\n```http',
      '<!-- { "blockType": "ignored" } -->\n```msgraph-interactive',
    ),
  'sample-lang-mismatch',
  '```msgraph-interactive',
  'the fence language of the URL block changed',
);
defect(
  'annotation-mismatch',
  calls,
  'ru-RU',
  (t) => replaceOnce(t, '  "blockType": "response",\n  "truncated": true\n', '  "blockType": "response"\n'),
  'annotation-mismatch',
  '<!-- {\n  "blockType": "response"\n}',
  'the truncated flag was dropped from the response annotation',
);
defect(
  'link-target-mismatch',
  calls,
  'zh-CN',
  (t) => replaceOnce(t, '[Go](#tab/go)', '[Go](#tab/Go)'),
  'link-target-mismatch',
  '(#tab/Go)',
  'a DocFX tab id was re-cased',
);
defect(
  'anchor-mismatch',
  calls,
  'ru-RU',
  (t) => replaceOnce(t, '<a name="request-headers">', '<a name="заголовки-запросов">'),
  'anchor-mismatch',
  '<a name="заголовки-запросов">',
  'a heading anchor was translated',
);
defect(
  'frontmatter-damaged',
  calls,
  'zh-CN',
  (t) => replaceOnce(t, 'title: 删除呼叫', 'title：删除呼叫'),
  'frontmatter-damaged',
  'title：',
  'a full-width colon after the key',
);
defect(
  'metadata-mismatch',
  discs,
  'ru-RU',
  (t) => replaceOnce(t, 'ms.topic: reference', 'ms.topic: справка'),
  'metadata-mismatch',
  'ms.topic: справка',
  'a metadata value was translated',
);
defect(
  'identifier-translated',
  discs,
  'ru-RU',
  (t) => t.replaceAll('[CallId (веб-служба', '[Каллид (веб-служба'),
  'identifier-translated',
  '[Каллид',
  'an element name in a link text was transliterated',
);
defect(
  'stale-translation',
  calls,
  'ru-RU',
  (t) =>
    replaceOnce(
      replaceOnce(
        replaceOnce(
          t,
          'ms.openlocfilehash: 6f409c1fe0478bc92c2b4055d2d526f1bff539aa',
          'ms.openlocfilehash: 0b1d7e0f9a2d4c6b8e3f5a7c9d1e3f5a7b9c1d3e',
        ),
        'ms.lasthandoff: 04/03/2022',
        'ms.lasthandoff: 11/10/2020',
      ),
      'DELETE https://graph.microsoft.com/beta/communications/calls/57dab8b1',
      'DELETE https://graph.microsoft.com/beta/app/calls/57dab8b1',
    ),
  'stale-translation',
  'ms.openlocfilehash:',
  'an older revision, still documenting the deprecated /app path',
);

trap(
  'trap-lang-case',
  calls,
  'ru-RU',
  (t) => replaceOnce(t, '<!-- { "blockType": "ignored" } -->\n```http', '<!-- { "blockType": "ignored" } -->\n```HTTP'),
  ['sample-lang-mismatch', 'sample-mismatch'],
  'the fence tag differs only in case',
);
trap(
  'trap-translated-prose',
  calls,
  'zh-CN',
  (t) =>
    replaceOnce(
      replaceOnce(t, 'title: 删除呼叫', 'title: 删除或挂断呼叫'),
      '# <a name="delete-call"></a>',
      '# <a name="delete-call"></a>删除调用 ',
    ),
  ['*'],
  'title and heading text retranslated',
);
trap(
  'trap-reordered-links',
  discs,
  'zh-CN',
  (t) => {
    const lines = t.split('\n');
    const start = lines.findIndex((l) => l.startsWith('- [<span'));
    [lines[start], lines[start + 2]] = [lines[start + 2], lines[start]];
    return lines.join('\n');
  },
  ['link-target-mismatch'],
  'the See-also links in another order',
);
trap(
  'trap-xml-prefix-and-whitespace',
  discs,
  'ru-RU',
  (t) =>
    replaceOnce(
      t,
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n  <soap:Body>\n    <Disconnect',
      '<s:Envelope   xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">\n      <s:Body>\n    <Disconnect',
    ).replace(
      '  </soap:Body>\n</soap:Envelope>\n```\n\n## <a name="successful',
      '  </s:Body>\n</s:Envelope>\n```\n\n## <a name="successful',
    ),
  ['sample-mismatch', 'sample-malformed'],
  'another prefix for the SOAP namespace and other indentation',
);
trap(
  'trap-json-key-order',
  calls,
  'pt-BR',
  (t) =>
    replaceOnce(
      t,
      '      "changeType": "deleted",\n' +
        '      "resourceUrl": "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896",',
      '      "resourceUrl": "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896",\n' +
        '      "changeType": "deleted",',
    ),
  ['sample-mismatch'],
  'members of a JSON object in another order',
);
trap(
  'trap-inline-code-merged',
  calls,
  'zh-CN',
  (t) => replaceOnce(t, '`/app`', '`/app``/communications`'),
  ['identifier-translated'],
  'translation merged two inline code spans',
);

await rm(out, { recursive: true, force: true });
for (const c of cases) {
  const dir = path.join(out, c.name);
  const expect = { note: c.note };
  for (const [locale, text] of Object.entries(c.base)) {
    const name = c.base === calls ? 'call-delete.md' : 'disconnect-operation.md';
    const mutated = locale === c.locale ? c.mutate(text) : text;
    if (locale === c.locale && mutated === text) throw new Error(`${c.name}: mutation changed nothing`);
    await mkdir(path.join(dir, locale), { recursive: true });
    await writeFile(path.join(dir, locale, name), mutated);
    if (locale === c.locale && c.rule)
      Object.assign(expect, { rule: c.rule, locale, line: lineOf(mutated, c.marker), file: `${locale}/${name}` });
  }
  if (c.silent) Object.assign(expect, { silent: c.silent, locale: c.locale });
  await writeFile(path.join(dir, 'expect.json'), `${JSON.stringify(expect, null, 2)}\n`);
}
console.log(`wrote ${cases.length} cases to ${path.relative(root, out)}`);

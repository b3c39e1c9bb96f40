import { examplePages } from '../examples.js';
import type { Rule } from '../rule.js';
import { placeFindings } from './identifier-places.js';

const table = (type: string) => `# <a name="properties"></a>Properties

| Property | Type | Description |
|:---|:---|:---|
| displayName | ${type} | The name shown. |
`;

export const typeNameTranslated: Rule = {
  meta: {
    id: 'type-name-translated',
    severity: 'info',
    family: 'identifiers',
    defaultOff: true,
    docs: {
      description:
        'A primitive type name (`String`, `Boolean`, `Int32`, `DateTimeOffset`…) translated in a table cell, compared with the same cell in the other locales. Off by default: machine translation renders type columns this way on whole doc sets, so it is a policy to choose, not a defect to list on every run.',
      ok: [examplePages({ 'pt-BR': table('String'), 'ru-RU': table('String'), 'zh-CN': table('String') })],
      notOk: [
        {
          pages: examplePages({
            'pt-BR': table('Cadeia de caracteres'),
            'ru-RU': table('String'),
            'zh-CN': table('String'),
          }),
          expect: [{ locale: 'pt-BR', line: 12 }],
          fixed: examplePages({ 'pt-BR': table('String') }),
        },
      ],
    },
  },
  check: (ctx) => placeFindings(ctx).typeNames,
};

import { examplePages } from '../examples.js';
import { related, type Finding, type Rule } from '../rule.js';

const page = (withRequest: boolean) => `# <a name="create-call"></a>Create call

${withRequest ? '<!-- { "blockType": "request", "name": "create-call" } -->\n```http\nPOST https://graph.microsoft.com/beta/communications/calls\n```\n' : ''}
<!-- { "blockType": "response", "name": "create-call" } -->
\`\`\`http
HTTP/1.1 201 Created
\`\`\`
`;

export const sampleUnpaired: Rule = {
  meta: {
    id: 'sample-unpaired',
    severity: 'info',
    family: 'samples',
    docs: {
      description: 'A response with no request before it (ApiDoctor pairs by `name`, else with the nearest preceding request), or an annotated request with no response, in every locale of a revision: a source defect, reported once. Where only some locales lack the partner, sample-missing says so instead.',
      ok: [examplePages({ 'pt-BR': page(true), 'ru-RU': page(true) })],
      notOk: [{ pages: examplePages({ 'pt-BR': page(false), 'ru-RU': page(false) }), expect: [{ locale: 'pt-BR', line: 12 }] }],
    },
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const cluster of ctx.clusters) {
      for (const aligned of ctx.aligned) {
        const members = cluster.pages.filter((p) => aligned.byPage.has(p));
        if (members.length !== cluster.pages.length) continue;
        const unpaired = members.filter((p) => {
          const s = aligned.byPage.get(p)!;
          return s.pairedWith === null && (s.role === 'response' || (s.role === 'request' && typeof s.annotation?.['name'] === 'string'));
        });
        if (unpaired.length !== members.length) continue;
        const sourceSample = ctx.source ? aligned.byPage.get(ctx.source) : undefined;
        const [first, ...others] = sourceSample && sourceSample.pairedWith === null ? [ctx.source!, ...unpaired] : unpaired;
        const s = aligned.byPage.get(first!)!;
        findings.push({
          page: first!, line: s.line, sampleId: s.id,
          message: s.role === 'response' ? `response ${s.id} answers no request: none with its name, none before it` : `request ${s.id} has no documented response`,
          related: others.map((p) => related(p, aligned.byPage.get(p)!.line)),
        });
      }
    }
    return findings;
  },
};

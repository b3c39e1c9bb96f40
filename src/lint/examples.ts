/**
 * Small pages with realistic front matter, for the repair tests (test/fix-*.test.ts). The rule docs
 * no longer use them: rules/<id>.md holds its pages literally.
 */
export function examplePage(locale: string, body: string, frontMatter: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    title: 'Disconnect operation',
    'ms.assetid': 'a987000b-d6e6-49d7-944c-e9c278d0236f',
    'ms.openlocfilehash': '42e069233fbfc255d43983571c0bb28475a1fe90',
    'ms.contentlocale': locale,
    'ms.lasthandoff': '09/24/2021',
    ...frontMatter,
  };
  const yaml = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}`;
}

/** The same body in several locales: `{ 'pt-BR/page.md': …, … }`. */
export function examplePages(
  bodies: Record<string, string>,
  frontMatter: Record<string, Record<string, string>> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(bodies).map(([locale, body]) => [
      `${locale}/page.md`,
      examplePage(locale, body, frontMatter[locale]),
    ]),
  );
}

export const soapRequest = (callId = 'MDlkZjll') => `# <a name="disconnect-operation"></a>Disconnect

## <a name="disconnect-request-example"></a>Request

\`\`\`XML
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <Disconnect xmlns="https://schemas.microsoft.com/exchange/services/2006/messages">
      <CallId>${callId}</CallId>
    </Disconnect>
  </soap:Body>
</soap:Envelope>
\`\`\`
`;

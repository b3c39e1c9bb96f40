import { describe, expect, it } from 'vitest';
import { parseXmlSample, childElements, elementText } from '../src/formats/xml.js';
import { xmlDifferences } from '../src/compare/xml.js';

const envelope = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <Disconnect xmlns="https://schemas.microsoft.com/exchange/services/2006/messages">
      <CallId>abc&amp;def</CallId>
    </Disconnect>
  </soap:Body>
</soap:Envelope>`;

describe('XML samples', () => {
  it('resolves namespaces and finds the SOAP operation', () => {
    const doc = parseXmlSample(envelope);
    expect(doc.issues).toEqual([]);
    expect(doc.declaration).toEqual({ version: '1.0', encoding: 'utf-8' });
    expect(doc.soap).toEqual({
      version: '1.1',
      operation: { local: 'Disconnect', ns: 'https://schemas.microsoft.com/exchange/services/2006/messages' },
      isResponse: false,
      isFault: false,
    });
    const op = childElements(childElements(doc.roots[0]!)[0]!)[0]!;
    expect(op.line).toBe(4);
    const callId = childElements(op)[0]!;
    expect(callId.ns).toBe('https://schemas.microsoft.com/exchange/services/2006/messages');
    expect(elementText(callId)).toBe('abc&def');
  });

  it('detects SOAP 1.2 responses', () => {
    const doc = parseXmlSample(
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><m:GetItemResponse xmlns:m="urn:m"/>' +
        '</e:Body></e:Envelope>',
    );
    expect(doc.soap?.version).toBe('1.2');
    expect(doc.soap?.isResponse).toBe(true);
  });

  it('accepts documentation fragments: several roots, undeclared prefixes, ellipses', () => {
    const doc = parseXmlSample('<t:ItemId Id="AAMk..." />\n...\n<t:ChangeKey>x</t:ChangeKey>\n<t:Name>y</t:Name>');
    expect(doc.issues).toEqual([]);
    expect(doc.roots).toHaveLength(3);
    expect(doc.unresolvedPrefixes).toEqual(['t']);
    expect(doc.ellipses).toBeGreaterThanOrEqual(1);
  });

  it('maps well-formedness errors to line and column and names an unbalanced tag', () => {
    const doc = parseXmlSample('<a>\n  <b>text</c>\n</a>');
    expect(doc.issues).toHaveLength(1);
    expect(doc.issues[0]!.line).toBe(2);
    expect(doc.issues[0]!.message).toMatch(/unbalanced tag/);
  });

  it('reports HTML entities, which XML does not define', () => {
    const doc = parseXmlSample('<a>caf&eacute;</a>');
    expect(doc.issues[0]!.message).toMatch(/undefined entity `&eacute;`/);
  });

  it('never expands DOCTYPE entities (billion laughs) and reports the DOCTYPE', () => {
    const lol =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n<lolz>&lol3;</lolz>';
    const doc = parseXmlSample(lol);
    expect(doc.doctype).toBe(true);
    expect(doc.issues.some((i) => /DOCTYPE/.test(i.message))).toBe(true);
    expect(elementText(doc.roots[0]!)).toBe('&lol3;');
  });

  it('does not fetch external entities', () => {
    const doc = parseXmlSample('<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>');
    expect(doc.issues.map((i) => i.message)).toContain(
      'external entity declarations are refused: nothing is fetched or expanded',
    );
    expect(JSON.stringify(doc)).not.toContain('root:');
  });
});

describe('documentation conventions in XML samples', () => {
  it('reads an indented declaration and a second declaration mid-block without complaint', () => {
    const doc = parseXmlSample(' <?xml version="1.0" encoding="utf-8"?>\n<a/>\n<?xml version="1.0"?>\n<b/>');
    expect(doc.issues).toEqual([]);
    expect(doc.declaration).toEqual({ version: '1.0', encoding: 'utf-8' });
    expect(doc.roots.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('reads a sample cut short with an ellipsis as truncated, not malformed', () => {
    const doc = parseXmlSample('<s:Body>\n  <m:GetItemResponse xmlns:m="urn:m">\n    <m:ResponseMessages>\n    …\n');
    expect(doc.issues).toEqual([]);
    expect(doc.truncated).toBe(true);
    expect(doc.roots[0]!.name).toBe('s:Body');
  });

  it('reports errors in the first line of a fragment at their own column', () => {
    const doc = parseXmlSample('<a>x</a><b>y</c>\n<d/>');
    expect(doc.issues[0]).toMatchObject({ line: 1, column: 13 });
  });

  it('still reports a truncated sample whose tags do not nest', () => {
    const doc = parseXmlSample('<a>\n  <b>\n  </c>\n  ...\n');
    expect(doc.truncated).toBe(false);
    expect(doc.issues[0]!.severity).toBe('error');
  });
});

describe('every difference between a documented and a live XML body (xmlDifferences)', () => {
  const envelope = (body: string, header = '') =>
    parseXmlSample(
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${header}<s:Body>${body}</s:Body></s:Envelope>`,
    );
  const M = 'xmlns="https://schemas.microsoft.com/exchange/services/2006/messages"';
  const documented = envelope(
    `<DisconnectResponse ${M} ResponseClass="Success"><ResponseCode>NoError</ResponseCode><Note>a</Note>` +
      `</DisconnectResponse>`,
  );
  const describeAll = (live: ReturnType<typeof parseXmlSample>, options = {}) =>
    xmlDifferences(documented, live, options).differences.map((d) => `${d.what} ${d.path}`);

  it('tells an extra, a missing and a renamed element apart, and goes on after each', () => {
    expect(
      describeAll(
        envelope(
          `<DisconnectResponse ${M} ResponseClass="Error"><Extra/><ResponseCode>Err</ResponseCode>` +
            `</DisconnectResponse>`,
        ),
      ),
    ).toEqual([
      'attribute value /s:Envelope/s:Body/DisconnectResponse/@ResponseClass',
      'extra element /s:Envelope/s:Body/DisconnectResponse/Extra',
      'text /s:Envelope/s:Body/DisconnectResponse/ResponseCode',
      'missing element /s:Envelope/s:Body/DisconnectResponse/Note',
    ]);
    expect(describeAll(envelope(`<DisconnectResult ${M}/>`))).toEqual([
      'element /s:Envelope/s:Body/DisconnectResponse',
    ]);
  });

  it('skips a live SOAP Header the docs do not show, when the caller says it is optional', () => {
    const live = envelope(
      `<DisconnectResponse ${M} ResponseClass="Success"><ResponseCode>NoError</ResponseCode><Note>a</Note>` +
        `</DisconnectResponse>`,
      '<s:Header><h:ServerVersionInfo xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types" ' +
        'MajorVersion="15"/></s:Header>',
    );
    expect(describeAll(live)).toEqual(['extra element /s:Envelope/s:Header']);
    expect(describeAll(live, { optional: (e: { local: string }) => e.local === 'Header' })).toEqual([]);
  });
});

/**
 * The Exchange Unified Messaging Disconnect operation (SOAP 1.1), written from the
 * "Disconnect operation (UM web service)" page: a Disconnect request names the CallId of the
 * call to end; success is an empty DisconnectResponse in the messages namespace. Two servers:
 * a genuine WSDL service on node-soap (disconnect.wsdl), and a plain node:http one that writes
 * the envelope by hand in the spellings real SOAP stacks use (a Header as Exchange sends, other
 * prefixes, a default namespace, a byte order mark, comments), which a client must all accept.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DOMParser } from '@xmldom/xmldom';
import * as soap from 'soap';

/** Mistakes a real implementation could make in its answer. */
export type SoapBug =
  /** The answer is named DisconnectResult (an ASMX habit) instead of DisconnectResponse. */
  | 'response-misnamed'
  /** The answer carries a ResponseCode, as other EWS responses do, and not NoError. */
  | 'response-code'
  /** DisconnectResponse is put in the http:// messages namespace, not the documented https:// one. */
  | 'response-namespace';

export type RawSpelling = 'header' | 'prefixes' | 'default-ns' | 'bom' | 'comments';

export interface SoapOptions {
  bugs?: SoapBug[];
}

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
/** The messages namespace as the page spells it (https://); clients built from the docs send it. */
export const MESSAGES = 'https://schemas.microsoft.com/exchange/services/2006/messages';
/** The spelling Exchange itself uses: a service answering in it does not answer the documented operation. */
const MESSAGES_HTTP = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const TYPES = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const SOAP_PATH = '/EWS/Exchange.asmx';
const ACTION = `${MESSAGES}/Disconnect`;
/** A ResponseCode an implementation could wrongly report (see the `response-code` bug). */
const WRONG_CODE = 'ErrorInternalServerError';
const NO_CALL_ID = 'The CallId is missing or is not a valid call id.';

const WSDL_FILE = new URL('./disconnect.wsdl', import.meta.url);

/** A CallId is the base64 token PlayOnPhone handed out; anything else names no call. */
function validCallId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const id = value.trim();
  if (id === '' || id.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(id)) return false;
  return Buffer.from(id, 'base64').length > 0;
}

/**
 * The WSDL the node-soap service is built from. Each bug is a mistake in the hand-written
 * schema, since that is where node-soap takes the answer's name and namespace from.
 */
function wsdlText(bugs: ReadonlySet<SoapBug>): string {
  let text = readFileSync(WSDL_FILE, 'utf8');
  if (bugs.has('response-misnamed')) {
    text = text
      .replace('name="DisconnectResponse"', 'name="DisconnectResult"')
      .replace('element="m:DisconnectResponse"', 'element="m:DisconnectResult"');
  }
  if (bugs.has('response-code')) {
    // Modelled on EWS's ResponseMessageType, which the UM operations do not use.
    const responseCode = '<xs:element name="ResponseCode" type="xs:string" minOccurs="0"/>';
    text = text.replace('<xs:sequence/>', `<xs:sequence>${responseCode}</xs:sequence>`);
  }
  if (bugs.has('response-namespace')) {
    // The response element declared in a second schema, in the namespace Exchange uses.
    text = text
      .replace('<xs:element name="DisconnectResponse" type="m:DisconnectResponseMessageType"/>', '')
      .replace('xmlns:m=', `xmlns:x="${MESSAGES_HTTP}" xmlns:m=`)
      .replace(
        '</wsdl:types>',
        `  <xs:schema targetNamespace="${MESSAGES_HTTP}" elementFormDefault="qualified">
      <xs:import namespace="${MESSAGES}"/>
      <xs:element name="DisconnectResponse" type="m:DisconnectResponseMessageType"/>
    </xs:schema>
  </wsdl:types>`,
      )
      .replace('element="m:DisconnectResponse"', 'element="x:DisconnectResponse"');
  }
  return text;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The WSDL service on node-soap, at /EWS/Exchange.asmx (its WSDL at ?wsdl). */
export async function startDisconnectSoap(options: SoapOptions = {}): Promise<RunningService> {
  const bugs = new Set(options.bugs ?? []);
  const server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const url = await listen(server);
  const service = {
    ExchangeServices: {
      UMServicePort: {
        Disconnect(args: { CallId?: unknown }) {
          if (!validCallId(args?.CallId)) {
            throw { Fault: { faultcode: 'soap:Client', faultstring: NO_CALL_ID, statusCode: 500 } };
          }
          // Ending a call that has already ended is not an error: the call is gone either way.
          return bugs.has('response-code') ? { ResponseCode: WRONG_CODE } : {};
        },
      },
    },
  };
  soap.listen(server, SOAP_PATH, service, wsdlText(bugs));
  return { url, close: () => closeServer(server) };
}

/** The answer's element, spelled with `prefix` (none: a default namespace declaration). */
function responseElement(bugs: ReadonlySet<SoapBug>, prefix: string | null): string {
  const name = bugs.has('response-misnamed') ? 'DisconnectResult' : 'DisconnectResponse';
  const ns = bugs.has('response-namespace') ? MESSAGES_HTTP : MESSAGES;
  const q = (local: string) => (prefix ? `${prefix}:${local}` : local);
  const decl = prefix ? `xmlns:${prefix}="${ns}"` : `xmlns="${ns}"`;
  if (!bugs.has('response-code')) return `<${q(name)} ${decl} />`;
  return `<${q(name)} ${decl}><${q('ResponseCode')}>${WRONG_CODE}</${q('ResponseCode')}></${q(name)}>`;
}

/** The success envelope in one of the spellings SOAP stacks produce. */
function envelope(spelling: RawSpelling, bugs: ReadonlySet<SoapBug>): string {
  const declaration = '<?xml version="1.0" encoding="utf-8"?>';
  const instance =
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' + ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"';
  switch (spelling) {
    case 'header':
      // Exchange precedes every answer with the server's version.
      return (
        `${declaration}<s:Envelope xmlns:s="${SOAP11}"><s:Header>` +
        `<h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4"` +
        ` Version="V2018_01_08" xmlns:h="${TYPES}" xmlns="${TYPES}" ${instance}/></s:Header>` +
        `<s:Body ${instance}>${responseElement(bugs, null)}</s:Body></s:Envelope>`
      );
    case 'prefixes':
      return (
        `${declaration}\n<soapenv:Envelope xmlns:soapenv="${SOAP11}">\n  <soapenv:Body>\n    ` +
        `${responseElement(bugs, 'm')}\n  </soapenv:Body>\n</soapenv:Envelope>\n`
      );
    case 'default-ns':
      return `<Envelope xmlns="${SOAP11}"><Body>${responseElement(bugs, null)}</Body></Envelope>`;
    case 'bom':
      // .NET writers put a UTF-8 byte order mark before the declaration.
      return (
        `\uFEFF${declaration}\r\n<soap:Envelope xmlns:soap="${SOAP11}" ${instance}>\r\n  <soap:Body>\r\n    ` +
        `${responseElement(bugs, null)}\r\n  </soap:Body>\r\n</soap:Envelope>`
      );
    case 'comments':
      return (
        `${declaration}\n<!-- Exchange Unified Messaging -->\n<soap:Envelope xmlns:soap="${SOAP11}">` +
        `<!-- no header -->\n  <soap:Body>\n    <!-- the call is ended -->\n    ${responseElement(bugs, null)}\n` +
        `  </soap:Body>\n</soap:Envelope>\n<!-- end -->\n`
      );
  }
}

/** A SOAP 1.1 Fault, as the hand-written server reports a request it cannot act on. */
function fault(code: 'Client' | 'Server', text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault>` +
    `<faultcode>s:${code}</faultcode><faultstring xml:lang="en-US">${escaped}</faultstring>` +
    '</s:Fault></s:Body></s:Envelope>'
  );
}

/** The CallId of a Disconnect request, or why the request is not one. */
function disconnectCallId(xml: string): { callId: string } | { problem: string } {
  let doc: Document;
  try {
    doc = new DOMParser().parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml') as unknown as Document;
  } catch (error) {
    return { problem: `The request is not well-formed XML: ${(error as Error).message}` };
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SOAP11 || root.localName !== 'Envelope') {
    return { problem: 'The request is not a SOAP 1.1 envelope.' };
  }
  const body = [...childElements(root)].find((e) => e.namespaceURI === SOAP11 && e.localName === 'Body');
  const operation = body ? childElements(body)[0] : undefined;
  if (!operation || operation.namespaceURI !== MESSAGES || operation.localName !== 'Disconnect') {
    const name = operation ? `{${operation.namespaceURI}}${operation.localName}` : '(none)';
    return { problem: `The operation ${name} is not supported here.` };
  }
  const callId = childElements(operation).find((e) => e.namespaceURI === MESSAGES && e.localName === 'CallId');
  const value = callId?.textContent?.trim() ?? '';
  return validCallId(value) ? { callId: value } : { problem: NO_CALL_ID };
}

function childElements(node: Element): Element[] {
  const out: Element[] = [];
  for (let n = node.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** The hand-written server: the same operation, answered in one spelling. */
export async function startDisconnectRaw(spelling: RawSpelling, options: SoapOptions = {}): Promise<RunningService> {
  const bugs = new Set(options.bugs ?? []);
  const wsdl = wsdlText(new Set());
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== SOAP_PATH) return void res.writeHead(404).end();
    if (req.method === 'GET' && /[?&]wsdl\b/i.test(req.url ?? '')) {
      return void res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(wsdl);
    }
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const send = (status: number, text: string) => {
        res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(text);
      };
      // SOAP 1.1 names the action in SOAPAction (quoted); a wrong one is refused as Exchange does.
      const action = req.headers['soapaction'];
      if (typeof action === 'string' && action.replace(/^"|"$/g, '') !== ACTION) {
        return send(500, fault('Client', `The SOAP action ${action} is not supported.`));
      }
      const parsed = disconnectCallId(Buffer.concat(chunks).toString('utf8'));
      if ('problem' in parsed) return send(500, fault('Client', parsed.problem));
      send(200, envelope(spelling, bugs));
    });
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

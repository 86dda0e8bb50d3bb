/*
 * @xmldom/xmldom and xml-crypto are loaded with require and typed here: their declaration files
 * pull in TypeScript's DOM library, which changes Node's own types (fetch bodies, BufferSource)
 * for the whole server. These are the few DOM members the ShEP code uses, as xmldom implements them.
 */
export interface XmlNode {
  readonly nodeType: number;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
  readonly parentNode: XmlNode | null;
  textContent: string | null;
  readonly localName?: string | null;
  readonly namespaceURI?: string | null;
  appendChild(node: XmlNode): XmlNode;
  removeChild(node: XmlNode): XmlNode;
  insertBefore(node: XmlNode, reference: XmlNode | null): XmlNode;
  replaceChild(node: XmlNode, old: XmlNode): XmlNode;
  cloneNode(deep: boolean): XmlNode;
}
export interface XmlElement extends XmlNode {
  readonly localName: string;
  readonly namespaceURI: string | null;
  getAttribute(name: string): string | null;
  getAttributeNS(ns: string | null, local: string): string | null;
  setAttribute(name: string, value: string): void;
  setAttributeNS(ns: string | null, qualifiedName: string, value: string): void;
  getElementsByTagNameNS(ns: string | null, local: string): ArrayLike<XmlElement>;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
  lookupNamespaceURI(prefix: string | null): string | null;
}
export interface XmlDocument extends XmlNode {
  readonly documentElement: XmlElement;
  createElementNS(ns: string | null, qualifiedName: string): XmlElement;
  createTextNode(text: string): XmlNode;
  getElementsByTagNameNS(ns: string | null, local: string): ArrayLike<XmlElement>;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}
interface XmlDomModule {
  DOMParser: new (options?: object) => { parseFromString(text: string, mimeType: string): XmlDocument };
  XMLSerializer: new () => { serializeToString(node: XmlNode): string };
  DOMImplementation: new () => { createDocument(ns: string | null, qualifiedName: string, doctype: null): XmlDocument };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: its types must stay out of the build
const { DOMImplementation, DOMParser, XMLSerializer } = require('@xmldom/xmldom') as XmlDomModule;

/** The namespaces of a ShEP SyncChannel message. */
export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  types: 'http://bip.bee.kz/SyncChannel/v10/Types',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xmlns: 'http://www.w3.org/2000/xmlns/',
  /** Our data types inside requestData/data and responseData/data (modelled: the real ones are not public). */
  data: 'urn:reglament:shep:data:v1',
} as const;

export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/** Parses XML, turning every parser complaint into an XmlParseError (xmldom only warns by default). */
export function parseXml(text: string): XmlDocument {
  const problems: string[] = [];
  const parser = new DOMParser({
    locator: {},
    errorHandler: {
      warning: () => undefined,
      error: (message: string) => problems.push(message),
      fatalError: (message: string) => problems.push(message),
    },
  });
  let doc: XmlDocument;
  try {
    doc = parser.parseFromString(text, 'text/xml') as unknown as XmlDocument;
  } catch (error) {
    throw new XmlParseError(error instanceof Error ? error.message : String(error));
  }
  if (problems.length > 0 || !doc?.documentElement) throw new XmlParseError(problems[0]?.trim() || 'no root element');
  return doc;
}

export function serializeXml(node: XmlNode): string {
  return new XMLSerializer().serializeToString(node as any);
}

export function newDocument(ns: string, qualifiedName: string): XmlDocument {
  return new DOMImplementation().createDocument(ns, qualifiedName, null) as unknown as XmlDocument;
}

/** A namespaced element with children (elements, or a text value). */
export function element(doc: XmlDocument, ns: string | null, qualifiedName: string, content?: string | (XmlElement | undefined)[]): XmlElement {
  const el = doc.createElementNS(ns, qualifiedName);
  if (typeof content === 'string') el.appendChild(doc.createTextNode(content));
  else for (const child of content ?? []) if (child) el.appendChild(child);
  return el;
}

/** The element children of a node (text and comments left out). */
export function childElements(node: XmlNode): XmlElement[] {
  const out: XmlElement[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as XmlElement);
  return out;
}

/** The one child element named (ns, local); undefined when there is none, an error when there are several. */
export function child(node: XmlNode, ns: string | null, local: string): XmlElement | undefined {
  const found = childElements(node).filter((e) => e.localName === local && (e.namespaceURI ?? null) === ns);
  if (found.length > 1) throw new XmlParseError(`more than one <${local}> in <${(node as XmlElement).localName ?? '#document'}>`);
  return found[0];
}

export function requiredChild(node: XmlNode, ns: string | null, local: string): XmlElement {
  const found = child(node, ns, local);
  if (!found) throw new XmlParseError(`<${(node as XmlElement).localName ?? '#document'}> has no <${local}>`);
  return found;
}

export function textOf(el: XmlElement | undefined): string | undefined {
  return el ? (el.textContent ?? '') : undefined;
}

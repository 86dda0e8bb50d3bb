import { childElements, element, NS, XmlDocument, XmlElement, XmlParseError } from './xml';

/**
 * The business data a ShEP message carries in requestData/data and responseData/data: an
 * `xsi:type` naming one of our data types (test/fixtures/shep/reglament-data.xsd) and its fields
 * in that type's order. A field is a text value or a list of records (repeated elements).
 */
export type DataValue = string | DataRecord[] | undefined;
export interface DataRecord {
  [field: string]: DataValue;
}
export interface ShepData {
  type: string;
  values: DataRecord;
}

const PREFIX = 'r';

function fields(doc: XmlDocument, values: DataRecord): XmlElement[] {
  const out: XmlElement[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (typeof value === 'string') out.push(element(doc, NS.data, `${PREFIX}:${name}`, value));
    else for (const record of value) out.push(element(doc, NS.data, `${PREFIX}:${name}`, fields(doc, record)));
  }
  return out;
}

/** `<data xsi:type="r:Type">` with the fields, for requestData or responseData. */
export function dataElement(doc: XmlDocument, data: ShepData): XmlElement {
  const el = element(doc, null, 'data', fields(doc, data.values));
  el.setAttributeNS(NS.xmlns, `xmlns:${PREFIX}`, NS.data);
  el.setAttributeNS(NS.xmlns, 'xmlns:xsi', NS.xsi);
  el.setAttributeNS(NS.xsi, 'xsi:type', `${PREFIX}:${data.type}`);
  return el;
}

function readRecord(el: XmlElement): DataRecord {
  const record: DataRecord = {};
  for (const c of childElements(el)) {
    if (c.namespaceURI !== NS.data) throw new XmlParseError(`<${c.localName}> in <${el.localName}> is not in ${NS.data}`);
    const name = c.localName!;
    if (childElements(c).length > 0) {
      const list = record[name];
      if (typeof list === 'string') throw new XmlParseError(`<${name}> is both a value and a record`);
      record[name] = [...(list ?? []), readRecord(c)];
    } else {
      if (record[name] !== undefined) throw new XmlParseError(`<${name}> appears twice`);
      record[name] = c.textContent ?? '';
    }
  }
  return record;
}

/** The data type (from xsi:type, in our namespace) and fields of a data element. */
export function readData(el: XmlElement): ShepData {
  const xsiType = el.getAttributeNS(NS.xsi, 'type');
  if (!xsiType) throw new XmlParseError('<data> has no xsi:type');
  const [prefix, local] = xsiType.includes(':') ? xsiType.split(':', 2) : [null, xsiType];
  const ns = el.lookupNamespaceURI(prefix);
  if (ns !== NS.data) throw new XmlParseError(`<data> is of type ${xsiType} (namespace ${ns ?? 'none'}), not a type of ${NS.data}`);
  return { type: local, values: readRecord(el) };
}

/** A text field that must be there. */
export function field(data: ShepData, name: string): string {
  const value = data.values[name];
  if (typeof value !== 'string') throw new XmlParseError(`${data.type} has no <${name}>`);
  return value;
}

export function optionalField(data: ShepData, name: string): string | undefined {
  const value = data.values[name];
  if (value !== undefined && typeof value !== 'string') throw new XmlParseError(`<${name}> of ${data.type} is not a value`);
  return value;
}

export function records(data: ShepData, name: string): DataRecord[] {
  const value = data.values[name];
  if (value === undefined) return [];
  if (typeof value === 'string') throw new XmlParseError(`<${name}> of ${data.type} is a value, not a record`);
  return value;
}

/** Checks the answer is of the expected type (a gateway routing to the wrong service is a protocol error). */
export function expectType(data: ShepData, type: string): ShepData {
  if (data.type !== type) throw new XmlParseError(`expected data of type ${type}, got ${data.type}`);
  return data;
}

import { randomUUID } from 'node:crypto';
import { dataElement, readData, ShepData } from './data';
import { child, childElements, element, newDocument, NS, requiredChild, textOf, XmlDocument, XmlElement, XmlParseError } from './xml';

/**
 * SOAP 1.1 envelopes of the ShEP synchronous channel (SyncChannel v10): SendMessage with
 * request/requestInfo and request/requestData/data, SendMessageResponse with
 * response/responseInfo/status and response/responseData/data, and the SendMessage fault with
 * detail/SendMessageFault/errorInfo. Built and read as DOM, never as strings.
 */
export interface RequestInfo {
  messageId: string;
  correlationId?: string;
  serviceId: string;
  messageDate: Date;
  sender: { senderId: string; password: string };
  properties?: { key: string; value: string }[];
}

export interface ResponseInfo {
  messageId: string;
  correlationId?: string;
  responseDate: Date;
  status: { code: string; message: string };
}

export type ParsedAnswer =
  | { kind: 'response'; info: ResponseInfo; data?: ShepData }
  | { kind: 'fault'; faultcode: string; faultstring: string; errorCode?: string; errorMessage?: string };

/** The new envelope with an empty Header (WS-Security goes there) and a Body with a wsu:Id to sign. */
function envelope(): { doc: XmlDocument; header: XmlElement; body: XmlElement } {
  const doc = newDocument(NS.soap, 'soap:Envelope');
  const root = doc.documentElement;
  root.setAttributeNS(NS.xmlns, 'xmlns:typ', NS.types);
  const header = element(doc, NS.soap, 'soap:Header');
  const body = element(doc, NS.soap, 'soap:Body');
  root.appendChild(header);
  root.appendChild(body);
  return { doc, header, body };
}

export function buildRequest(info: RequestInfo, data: ShepData): XmlDocument {
  const { doc, body } = envelope();
  body.setAttributeNS(NS.xmlns, 'xmlns:wsu', NS.wsu);
  body.setAttributeNS(NS.wsu, 'wsu:Id', `id-${randomUUID()}`);
  const e = (name: string, content?: string | (XmlElement | undefined)[]) => element(doc, null, name, content);
  body.appendChild(
    element(doc, NS.types, 'typ:SendMessage', [
      e('request', [
        e('requestInfo', [
          e('messageId', info.messageId),
          info.correlationId ? e('correlationId', info.correlationId) : undefined,
          e('serviceId', info.serviceId),
          e('messageDate', info.messageDate.toISOString()),
          e('sender', [e('senderId', info.sender.senderId), e('password', info.sender.password)]),
          ...(info.properties ?? []).map((p) => e('properties', [e('key', p.key), e('value', p.value)])),
        ]),
        e('requestData', [dataElement(doc, data)]),
      ]),
    ]),
  );
  return doc;
}

export function buildResponse(info: ResponseInfo, data?: ShepData): XmlDocument {
  const { doc, body } = envelope();
  const e = (name: string, content?: string | (XmlElement | undefined)[]) => element(doc, null, name, content);
  body.appendChild(
    element(doc, NS.types, 'typ:SendMessageResponse', [
      e('response', [
        e('responseInfo', [
          e('messageId', info.messageId),
          info.correlationId ? e('correlationId', info.correlationId) : undefined,
          e('responseDate', info.responseDate.toISOString()),
          e('status', [e('code', info.status.code), e('message', info.status.message)]),
        ]),
        e('responseData', data ? [dataElement(doc, data)] : []),
      ]),
    ]),
  );
  return doc;
}

/** A SOAP 1.1 fault (sent with HTTP 500) whose detail names the ShEP error code. */
export function buildFault(faultcode: 'soap:Client' | 'soap:Server', errorCode: string, errorMessage: string): XmlDocument {
  const { doc, body } = envelope();
  const e = (name: string, content?: string | (XmlElement | undefined)[]) => element(doc, null, name, content);
  body.appendChild(
    element(doc, NS.soap, 'soap:Fault', [
      e('faultcode', faultcode),
      e('faultstring', errorMessage),
      e('detail', [element(doc, NS.types, 'typ:SendMessageFault', [e('errorInfo', [e('errorCode', errorCode), e('errorMessage', errorMessage)])])]),
    ]),
  );
  return doc;
}

/** Envelope and Body of a SOAP 1.1 message. */
export function envelopeParts(doc: XmlDocument): { envelope: XmlElement; header?: XmlElement; body: XmlElement } {
  const root = doc.documentElement;
  if (root.localName !== 'Envelope' || root.namespaceURI !== NS.soap) throw new XmlParseError(`the root element is <${root.localName}> in ${root.namespaceURI ?? 'no namespace'}, not a SOAP 1.1 Envelope`);
  const header = child(root, NS.soap, 'Header');
  const body = requiredChild(root, NS.soap, 'Body');
  return { envelope: root, header, body };
}

function required(el: XmlElement, local: string): string {
  const value = textOf(requiredChild(el, null, local))!.trim();
  if (!value) throw new XmlParseError(`<${local}> of <${el.localName}> is empty`);
  return value;
}

function date(el: XmlElement, local: string): Date {
  const raw = required(el, local);
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new XmlParseError(`<${local}> is not a date-time: "${raw}"`);
  return d;
}

/** The SendMessage request of a Body: its requestInfo and data element (undefined when requestData is empty). */
export function readRequest(body: XmlElement): { info: RequestInfo; data?: XmlElement } {
  const send = requiredChild(body, NS.types, 'SendMessage');
  const request = requiredChild(send, null, 'request');
  const infoEl = requiredChild(request, null, 'requestInfo');
  const senderEl = requiredChild(infoEl, null, 'sender');
  const info: RequestInfo = {
    messageId: required(infoEl, 'messageId'),
    correlationId: textOf(child(infoEl, null, 'correlationId'))?.trim() || undefined,
    serviceId: required(infoEl, 'serviceId'),
    messageDate: date(infoEl, 'messageDate'),
    sender: { senderId: required(senderEl, 'senderId'), password: textOf(requiredChild(senderEl, null, 'password')) ?? '' },
    properties: childElements(infoEl)
      .filter((e) => e.localName === 'properties')
      .map((p) => ({ key: required(p, 'key'), value: textOf(child(p, null, 'value')) ?? '' })),
  };
  const requestData = child(request, null, 'requestData');
  return { info, data: requestData ? child(requestData, null, 'data') : undefined };
}

/** A SendMessageResponse or a SOAP fault; anything else is an XmlParseError. */
export function readAnswer(doc: XmlDocument): ParsedAnswer {
  const { body } = envelopeParts(doc);
  const fault = child(body, NS.soap, 'Fault');
  if (fault) {
    const errorInfo = (() => {
      const detail = child(fault, null, 'detail');
      const sendFault = detail && child(detail, NS.types, 'SendMessageFault');
      return sendFault && child(sendFault, null, 'errorInfo');
    })();
    return {
      kind: 'fault',
      faultcode: textOf(child(fault, null, 'faultcode'))?.trim() ?? '',
      faultstring: textOf(child(fault, null, 'faultstring'))?.trim() ?? '',
      errorCode: errorInfo ? textOf(child(errorInfo, null, 'errorCode'))?.trim() : undefined,
      errorMessage: errorInfo ? textOf(child(errorInfo, null, 'errorMessage'))?.trim() : undefined,
    };
  }
  const answer = requiredChild(body, NS.types, 'SendMessageResponse');
  const response = requiredChild(answer, null, 'response');
  const infoEl = requiredChild(response, null, 'responseInfo');
  const statusEl = requiredChild(infoEl, null, 'status');
  const info: ResponseInfo = {
    messageId: required(infoEl, 'messageId'),
    correlationId: textOf(child(infoEl, null, 'correlationId'))?.trim() || undefined,
    responseDate: date(infoEl, 'responseDate'),
    status: { code: required(statusEl, 'code'), message: textOf(child(statusEl, null, 'message'))?.trim() ?? '' },
  };
  const responseData = child(response, null, 'responseData');
  const dataEl = responseData && child(responseData, null, 'data');
  return { kind: 'response', info, data: dataEl ? readData(dataEl) : undefined };
}

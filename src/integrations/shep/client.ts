import { randomUUID } from 'node:crypto';
import { SigningCredentials } from '../../crypto/cms';
import { expectType, ShepData } from './data';
import { buildRequest, readAnswer } from './envelope';
import { ExternalSystemUnavailableError, HttpClient } from '../http-client';
import { ShepServiceKey, ShepSettings } from './services';
import { SHEP_SUCCESS, SHEP_UNAVAILABLE, ShepProtocolError, ShepStatusError } from './status';
import { signEnvelope } from './ws-security';
import { parseXml } from './xml';

/**
 * The e-government gateway's synchronous channel as this server calls it: one SendMessage per
 * call, signed with the provider's key (WS-Security), to SHEP_URL as it is configured (the full
 * endpoint address). The answer's data when the status is SCSS001; otherwise a typed error that
 * becomes the step's incident: ShepStatusError (the code and ShEP's message), SCE004 and a
 * gateway that stays down as ExternalSystemUnavailableError, an answer that is no SyncChannel
 * answer as ShepProtocolError.
 */
export class ShepClient {
  constructor(
    readonly http: HttpClient,
    readonly settings: ShepSettings,
    private readonly credentials: () => Promise<SigningCredentials>,
  ) {}

  serviceId(service: ShepServiceKey): string {
    return this.settings.serviceIds[service];
  }

  /**
   * Sends `data` to `service` and returns the answer's data, checked to be of `answerType`. Every
   * service here may be sent again safely (look-ups, or writes keyed by the caller's request id),
   * so the signed message is retried as it is, with the same messageId.
   */
  async send(service: ShepServiceKey, data: ShepData, answerType: string): Promise<ShepData> {
    const serviceId = this.serviceId(service);
    const messageId = randomUUID();
    const credentials = await this.credentials();
    const envelope = buildRequest({ messageId, serviceId, messageDate: new Date(), sender: { senderId: this.settings.senderId, password: this.settings.password } }, data);
    const text = signEnvelope(envelope, credentials);
    const url = this.http.baseUrl;
    const response = await this.http.request<unknown>('POST', url, {
      text,
      headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml', soapaction: '""' },
      messageId,
      service: serviceId,
      idempotent: true,
      isAnswer: (status, contentType) => status === 500 && /xml/i.test(contentType),
    });
    const protocolError = (reason: string) => new ShepProtocolError(url, response.status, reason, serviceId, messageId);
    if (typeof response.body !== 'string' || !/xml/i.test(response.headers.get('content-type') ?? '')) throw protocolError(`the answer is not XML (${response.headers.get('content-type') ?? 'no content type'})`);
    let answer: ReturnType<typeof readAnswer>;
    try {
      answer = readAnswer(parseXml(response.body));
    } catch (error) {
      throw protocolError(`malformed envelope: ${(error as Error).message}`);
    }
    if (answer.kind === 'fault') {
      if (!answer.errorCode) throw protocolError(`SOAP fault ${answer.faultcode}: ${answer.faultstring}`);
      return this.refused(answer.errorCode, answer.errorMessage || answer.faultstring, serviceId, messageId, 'fault', url);
    }
    if (answer.info.messageId !== messageId && answer.info.correlationId !== messageId) throw protocolError(`the answer is to message ${answer.info.messageId}, not ${messageId}`);
    if (answer.info.status.code !== SHEP_SUCCESS) return this.refused(answer.info.status.code, answer.info.status.message, serviceId, messageId, 'status', url);
    if (!answer.data) throw protocolError('SCSS001 without responseData/data');
    try {
      return expectType(answer.data, answerType);
    } catch (error) {
      throw protocolError((error as Error).message);
    }
  }

  private refused(code: string, message: string, serviceId: string, messageId: string, via: 'fault' | 'status', url: string): never {
    if (code === SHEP_UNAVAILABLE) throw new ExternalSystemUnavailableError('shep', url, `${serviceId}: ${code} ${message} [messageId ${messageId}]`, 1);
    throw new ShepStatusError(code, message, serviceId, messageId, via);
  }
}

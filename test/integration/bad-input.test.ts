import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { DEFAULT_AUTH_FAILURE_LIMIT } from '../../src/config';
import { sha256Hex } from '../../src/identity/users';
import { controlDigit } from '../../src/iin-bin';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * The bad-input matrix (issue 6, item 5): malformed and hostile requests, one per row. Each row
 * names the request, the documented status and error code, and is checked for three things:
 *   1. the status and `error.code` of the answer;
 *   2. the answer carries no stack trace and no SQL (errors never leak internals);
 *   3. the database is byte-for-byte what it was: every table (and, on sqlite, the schema in
 *      sqlite_master) is dumped through the host's DataSource before and after the request, rows
 *      ordered, and the two dumps must be equal.
 * Fixtures (made once, before the matrix): instances of weapon-registration through the provider
 * channel, whose first task (attach-documents, group office, form field scannedDocuments: long,
 * required, min 1) is open, claimed by a second office user, or completed; and an instance that
 * ended at once (employee unknown to E-licensing).
 */
const KEY = 'weapon-registration';
const PROCESSES = path.resolve(__dirname, '../../processes');
const MAX_BODY_BYTES = 5 * 1024 * 1024;

interface Fixtures {
  /** The test host's address: links in answers start with it. */
  url: string;
  /** Instance whose attach-documents task is open and unclaimed. */
  instanceId: string;
  openTask: string;
  /** attach-documents claimed by office-user-2. */
  claimedTask: string;
  /** attach-documents completed. */
  doneTask: string;
  /** An instance that ended (refused-employee-authorization). */
  endedInstanceId: string;
  validStart: Record<string, unknown>;
  /** Started by office-user with Idempotency-Key IDEMPOTENCY_KEY and business key BAD-INPUT-IDEMPOTENT. */
  idempotentInstanceId: string;
}

interface Request {
  /** A user id (token-of-<id>), or null for no Authorization header. */
  user: string | null;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Which API: /api (default) or the Camunda subset /engine-rest (its errors are `{ type, message }`). */
  api?: 'api' | 'engine-rest';
  /** The loopback address the request comes from (127.0.0.1 unless given): a client of its own for the sign-in limit. */
  from?: string;
}

interface Row {
  name: string;
  request: (f: Fixtures) => Request;
  status: number;
  /** `error.code` on /api, `type` on /engine-rest. */
  code: string;
  /** Further checks on the answer's body and headers. */
  check?: (body: any, headers: http.IncomingHttpHeaders) => void;
  /** Requests sent first, inside the same before/after dump (e.g. the failed sign-ins that reach the limit). */
  before?: (f: Fixtures) => Request[];
}

const START = `/process-definitions/${KEY}/start`;
const IDEMPOTENCY_KEY = 'bad-input-idempotency-key-1';
const office = 'office-user';
const office2 = 'office-user-2';
const head = 'head-user';
const specialist = 'specialist-user';
const admin = 'admin';

const withIin = (f: Fixtures, applicantIinBin: unknown) => ({ variables: { ...f.validStart, applicantIinBin } });
/** The number with its last digit changed: a typo the control digit catches. */
const mistyped = (number: string) => `${number.slice(0, 11)}${(Number(number[11]) + 1) % 10}`;
/** Ten digits, then a digit 0 (11 digits), then the control digit: only the named part of the number is wrong. */
const withControlDigit = (ten: string) => `${ten}0${controlDigit(`${ten}0`) ?? 0}`;
const withoutField = (f: Fixtures, field: string) => ({ variables: Object.fromEntries(Object.entries(f.validStart).filter(([k]) => k !== field)) });
const huge = (): string => JSON.stringify({ variables: { scannedDocuments: 1, note: 'x'.repeat(MAX_BODY_BYTES + 1024) } });
const diagram = () => fs.readFileSync(path.join(PROCESSES, `${KEY}.bpmn`), 'utf8');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const manyVariables = (n: number, camunda = false) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, camunda ? { value: i, type: 'Integer' } : i]));
const wrongTokens = (from: string, api: Request['api'] = 'api'): Request[] =>
  Array.from({ length: DEFAULT_AUTH_FAILURE_LIMIT }, () => ({ user: null, method: 'GET', path: api === 'api' ? '/tasks' : '/deployment', api, from, headers: { authorization: 'Bearer wrong-token' } }));
const ENGINE_START = `/process-definition/key/${KEY}/start`;
/** A diagram with External service tasks (the reglaments call their handlers through the shared flows). */
const withService = () => fs.readFileSync(path.join(PROCESSES, 'elicense-provider-intake.bpmn'), 'utf8');

let current: Fixtures | undefined;
const fixtures = (): Fixtures => current!;

const ROWS: Row[] = [
  // --- authentication (401) ---------------------------------------------------------------
  { name: 'no Authorization header', request: () => ({ user: null, method: 'GET', path: '/tasks' }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'unknown bearer token', request: () => ({ user: null, method: 'GET', path: '/tasks', headers: { authorization: 'Bearer not-a-token' } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'token of a user with a trailing byte', request: () => ({ user: null, method: 'GET', path: '/tasks', headers: { authorization: `Bearer ${tokenOf(admin)}x` } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'Basic instead of Bearer on /api', request: () => ({ user: null, method: 'GET', path: '/tasks', headers: { authorization: `Basic ${Buffer.from(`admin:${tokenOf(admin)}`).toString('base64')}` } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'empty Bearer', request: () => ({ user: null, method: 'GET', path: '/tasks', headers: { authorization: 'Bearer ' } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'the token hash instead of the token', request: () => ({ user: null, method: 'GET', path: '/tasks', headers: { authorization: `Bearer ${sha256Hex(tokenOf(admin))}` } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'SQL-looking token', request: () => ({ user: null, method: 'GET', path: '/tasks', headers: { authorization: "Bearer '||1=1--" } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'start without a token', request: (f) => ({ user: null, method: 'POST', path: START, body: { variables: f.validStart } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'deploy without a token', request: () => ({ user: null, method: 'POST', path: '/deployments', body: { resources: [{ name: 'x.bpmn', source: diagram() }] } }), status: 401, code: 'UNAUTHORIZED' },
  { name: 'complete without a token', request: (f) => ({ user: null, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: 2 } } }), status: 401, code: 'UNAUTHORIZED' },

  // --- groups (403) and visibility (404) ------------------------------------------------------
  { name: 'deploy as a clerk (office)', request: () => ({ user: office, method: 'POST', path: '/deployments', body: { resources: [{ name: 'x.bpmn', source: diagram() }] } }), status: 403, code: 'FORBIDDEN' },
  { name: 'deploy raw XML as the head', request: () => ({ user: head, method: 'POST', path: '/deployments?name=x.bpmn', body: diagram(), headers: { 'content-type': 'application/xml' } }), status: 403, code: 'FORBIDDEN' },
  { name: 'retry as a clerk', request: (f) => ({ user: office, method: 'POST', path: `/process-instances/${f.instanceId}/retry` }), status: 403, code: 'FORBIDDEN' },
  { name: 'timers/fire-due as a clerk', request: () => ({ user: office, method: 'POST', path: '/timers/fire-due' }), status: 403, code: 'FORBIDDEN' },
  { name: 'timers/fire-due as the head', request: () => ({ user: head, method: 'POST', path: '/timers/fire-due' }), status: 403, code: 'FORBIDDEN' },
  { name: 'list timers as a specialist', request: () => ({ user: specialist, method: 'GET', path: '/timers' }), status: 403, code: 'FORBIDDEN' },
  { name: 'SLA report as a clerk', request: () => ({ user: office, method: 'GET', path: '/reports/sla' }), status: 403, code: 'FORBIDDEN' },
  { name: 'incidents as a specialist', request: () => ({ user: specialist, method: 'GET', path: '/incidents' }), status: 403, code: 'FORBIDDEN' },
  { name: "claim another group's task (head on office)", request: (f) => ({ user: head, method: 'POST', path: `/tasks/${f.openTask}/claim` }), status: 403, code: 'FORBIDDEN' },
  { name: "complete another group's task (specialist on office)", request: (f) => ({ user: specialist, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: 2 } } }), status: 403, code: 'FORBIDDEN' },
  { name: "read another group's task", request: (f) => ({ user: head, method: 'GET', path: `/tasks/${f.openTask}` }), status: 403, code: 'FORBIDDEN' },
  { name: 'unclaim as a user of no group', request: (f) => ({ user: 'nobody', method: 'POST', path: `/tasks/${f.claimedTask}/unclaim` }), status: 403, code: 'FORBIDDEN' },
  { name: 'complete as a user of no group', request: (f) => ({ user: 'nobody', method: 'POST', path: `/tasks/${f.openTask}/complete`, body: {} }), status: 403, code: 'FORBIDDEN' },
  { name: 'an instance without a task of my group is hidden', request: (f) => ({ user: specialist, method: 'GET', path: `/process-instances/${f.instanceId}` }), status: 404, code: 'NOT_FOUND' },
  { name: 'its history is hidden too', request: (f) => ({ user: 'nobody', method: 'GET', path: `/process-instances/${f.instanceId}/history` }), status: 404, code: 'NOT_FOUND' },

  // --- state conflicts (409) ----------------------------------------------------------------
  { name: 'complete a completed task', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.doneTask}/complete`, body: { variables: { scannedDocuments: 2 } } }), status: 409, code: 'CONFLICT' },
  { name: 'claim a completed task', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.doneTask}/claim` }), status: 409, code: 'CONFLICT' },
  { name: 'unclaim a completed task', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.doneTask}/unclaim` }), status: 409, code: 'CONFLICT' },
  { name: "claim someone else's task", request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.claimedTask}/claim` }), status: 409, code: 'CONFLICT' },
  { name: "complete someone else's task", request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.claimedTask}/complete`, body: { variables: { scannedDocuments: 2 } } }), status: 409, code: 'CONFLICT' },
  { name: "unclaim someone else's task", request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.claimedTask}/unclaim` }), status: 409, code: 'CONFLICT' },
  { name: 'retry an instance without an incident', request: (f) => ({ user: admin, method: 'POST', path: `/process-instances/${f.instanceId}/retry` }), status: 409, code: 'CONFLICT' },
  { name: 'retry an instance that has ended', request: (f) => ({ user: admin, method: 'POST', path: `/process-instances/${f.endedInstanceId}/retry` }), status: 409, code: 'CONFLICT' },

  // --- unknown ids (404) --------------------------------------------------------------------
  { name: 'unknown task', request: () => ({ user: office, method: 'GET', path: '/tasks/00000000-0000-0000-0000-000000000000' }), status: 404, code: 'NOT_FOUND' },
  { name: 'complete an unknown task', request: () => ({ user: office, method: 'POST', path: '/tasks/no-such-task/complete', body: {} }), status: 404, code: 'NOT_FOUND' },
  { name: 'SQL-looking task id', request: () => ({ user: admin, method: 'POST', path: `/tasks/${encodeURIComponent("x' OR '1'='1")}/claim` }), status: 404, code: 'NOT_FOUND' },
  { name: 'SQL-looking task id with a statement', request: () => ({ user: admin, method: 'POST', path: `/tasks/${encodeURIComponent('1; DROP TABLE tasks; --')}/complete`, body: {} }), status: 404, code: 'NOT_FOUND' },
  { name: 'start an unknown process', request: (f) => ({ user: office, method: 'POST', path: '/process-definitions/no-such-process/start', body: { variables: f.validStart } }), status: 404, code: 'NOT_FOUND' },
  { name: 'XML of an unknown process', request: () => ({ user: office, method: 'GET', path: '/process-definitions/no-such-process/xml' }), status: 404, code: 'NOT_FOUND' },
  { name: 'XML of an unknown version', request: () => ({ user: office, method: 'GET', path: `/process-definitions/${KEY}/xml?version=999` }), status: 404, code: 'NOT_FOUND' },
  { name: 'unknown instance', request: () => ({ user: admin, method: 'GET', path: '/process-instances/no-such-instance' }), status: 404, code: 'NOT_FOUND' },
  { name: 'retry an unknown instance', request: () => ({ user: admin, method: 'POST', path: '/process-instances/no-such-instance/retry' }), status: 404, code: 'NOT_FOUND' },
  { name: 'read an unknown notification', request: () => ({ user: office, method: 'POST', path: '/notifications/no-such-notification/read' }), status: 404, code: 'NOT_FOUND' },
  { name: 'unknown endpoint', request: () => ({ user: office, method: 'GET', path: '/no-such-endpoint' }), status: 404, code: 'NOT_FOUND' },
  { name: 'unknown method on a task', request: (f) => ({ user: admin, method: 'DELETE', path: `/tasks/${f.openTask}` }), status: 404, code: 'NOT_FOUND' },

  // --- start variables against the start form (400) -------------------------------------------
  { name: 'IIN/BIN of 5 digits', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, '12345') }), status: 400, code: 'VALIDATION_FAILED', check: (b) => expect(b.error.details.fields).toEqual([expect.objectContaining({ field: 'applicantIinBin' })]) },
  { name: 'IIN/BIN of 13 digits', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, '1234567890123') }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'IIN/BIN with letters', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, '12345678901A') }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'IIN/BIN with a newline after 12 digits', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, '123456789012\n') }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'IIN/BIN as a number', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, 123456789012) }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'IIN/BIN SQL-looking', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, "' OR 1=1 --") }), status: 400, code: 'VALIDATION_FAILED' },
  // Issue 16: a mistyped number is a field error, never a refusal by a state database.
  {
    name: 'IIN/BIN with a wrong control digit',
    request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, mistyped(String(f.validStart.applicantIinBin))) }),
    status: 400,
    code: 'VALIDATION_FAILED',
    check: (b) => expect(b.error.details.fields).toEqual([{ field: 'applicantIinBin', message: expect.stringContaining('control digit') }]),
  },
  { name: 'IIN born on 30 February', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, withControlDigit('8502303001')) }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'IIN/BIN whose 5th digit is neither a day nor an entity type', request: (f) => ({ user: office, method: 'POST', path: START, body: withIin(f, withControlDigit('1405800123')) }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'required applicantName missing', request: (f) => ({ user: office, method: 'POST', path: START, body: withoutField(f, 'applicantName') }), status: 400, code: 'VALIDATION_FAILED', check: (b) => expect(b.error.details.fields).toEqual([expect.objectContaining({ field: 'applicantName' })]) },
  { name: 'enum value the form does not list', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: { ...f.validStart, channel: 'fax' } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'enum given as an object', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: { ...f.validStart, variant: { id: 'registration' } } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a variable name the engine reserves', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: { ...f.validStart, environment: 'x' } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a variable name that is not an identifier', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: { ...f.validStart, 'a-b': 1 } } }), status: 400, code: 'VALIDATION_FAILED' },
  {
    name: 'a variable named __proto__ (JSON makes it an own key)',
    request: (f) => ({ user: office, method: 'POST', path: START, body: `{"variables": {"__proto__": {"polluted": true}, ${JSON.stringify(f.validStart).slice(1, -1)}}}`, headers: { 'content-type': 'application/json' } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    check: (b) => expect(b.error.details.fields).toEqual([expect.objectContaining({ field: '__proto__' })]),
  },
  { name: 'a variable named constructor', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: { ...f.validStart, constructor: 'x' } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'variables as an array', request: () => ({ user: office, method: 'POST', path: START, body: { variables: [1, 2] } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'variables as a string', request: () => ({ user: office, method: 'POST', path: START, body: { variables: 'applicantIinBin=1' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'body as a JSON array', request: () => ({ user: office, method: 'POST', path: START, body: [] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'businessKey as a number', request: (f) => ({ user: office, method: 'POST', path: START, body: { businessKey: 42, variables: f.validStart } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'businessKey of 256 characters', request: (f) => ({ user: office, method: 'POST', path: START, body: { businessKey: 'k'.repeat(256), variables: f.validStart } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'broken JSON', request: () => ({ user: office, method: 'POST', path: START, body: '{"variables": {', headers: { 'content-type': 'application/json' } }), status: 400, code: 'MALFORMED_JSON' },
  { name: 'a bare JSON string (strict JSON bodies only)', request: () => ({ user: office, method: 'POST', path: START, body: '"hello"', headers: { 'content-type': 'application/json' } }), status: 400, code: 'MALFORMED_JSON' },
  { name: 'JSON in an unsupported charset', request: () => ({ user: office, method: 'POST', path: START, body: '{}', headers: { 'content-type': 'application/json; charset=iso-8859-1' } }), status: 415, code: 'BAD_REQUEST' },
  { name: 'JSON with a bogus Content-Encoding', request: () => ({ user: office, method: 'POST', path: START, body: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'x-bogus' } }), status: 415, code: 'BAD_REQUEST' },
  { name: 'start body over the 5 MB limit', request: () => ({ user: office, method: 'POST', path: START, body: huge(), headers: { 'content-type': 'application/json' } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },

  // --- case numbers (issue 16): unique per reglament -----------------------------------------------
  {
    name: 'a repeated case number',
    request: (f) => ({ user: office, method: 'POST', path: START, body: { businessKey: 'BAD-INPUT-OPEN', variables: f.validStart } }),
    status: 409,
    code: 'CASE_NUMBER_TAKEN',
    check: (b) => expect(b.error.details).toMatchObject({ instanceId: fixtures().instanceId, businessKey: 'BAD-INPUT-OPEN', processDefinitionKey: KEY }),
  },
  { name: 'a repeated case number of an application that ended', request: (f) => ({ user: office2, method: 'POST', path: START, body: { businessKey: 'BAD-INPUT-ENDED', variables: f.validStart } }), status: 409, code: 'CASE_NUMBER_TAKEN' },
  {
    name: 'a repeated case number through /engine-rest',
    request: (f) => ({ user: office, method: 'POST', api: 'engine-rest', path: ENGINE_START, body: { businessKey: 'BAD-INPUT-DONE', variables: Object.fromEntries(Object.entries(f.validStart).map(([k, v]) => [k, { value: v, type: 'String' }])) } }),
    status: 409,
    code: 'InvalidRequestException',
  },

  // --- Idempotency-Key on start -------------------------------------------------------------------
  { name: 'Idempotency-Key of 256 characters', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: f.validStart }, headers: { 'idempotency-key': 'k'.repeat(256) } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'Idempotency-Key with a space', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: f.validStart }, headers: { 'idempotency-key': 'two words' } }), status: 400, code: 'BAD_REQUEST' },
  { name: "Idempotency-Key of another user's start", request: (f) => ({ user: office2, method: 'POST', path: START, body: { businessKey: 'BAD-INPUT-IDEMPOTENT', variables: f.validStart }, headers: { 'idempotency-key': IDEMPOTENCY_KEY } }), status: 409, code: 'CONFLICT' },
  { name: 'Idempotency-Key reused for another business key', request: (f) => ({ user: office, method: 'POST', path: START, body: { businessKey: 'BAD-INPUT-OTHER', variables: f.validStart }, headers: { 'idempotency-key': IDEMPOTENCY_KEY } }), status: 409, code: 'CONFLICT' },
  {
    name: 'a repeated start with the same Idempotency-Key answers with the first instance and starts nothing',
    request: (f) => ({ user: office, method: 'POST', path: START, body: { businessKey: 'BAD-INPUT-IDEMPOTENT', variables: f.validStart }, headers: { 'idempotency-key': IDEMPOTENCY_KEY } }),
    status: 200,
    code: '',
    check: (b) => expect(b).toMatchObject({ id: fixtures().idempotentInstanceId, businessKey: 'BAD-INPUT-IDEMPOTENT' }),
  },

  // --- task variables against the task's form (400) -------------------------------------------
  { name: 'long field given as text', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: 'three' } } }), status: 400, code: 'VALIDATION_FAILED', check: (b) => expect(b.error.details.fields).toEqual([expect.objectContaining({ field: 'scannedDocuments' })]) },
  { name: 'long field given as a fraction', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: 1.5 } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'long field below its min', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: 0 } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'long field as a boolean', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: true } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'required task field missing', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: {} } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'required task field empty string', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: { scannedDocuments: '' } } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'task variables as an array', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: [{ scannedDocuments: 2 }] } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'complete body as a JSON array', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: [{ variables: { scannedDocuments: 2 } }] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'complete body over the 5 MB limit', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: huge(), headers: { 'content-type': 'application/json' } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },

  // --- filters and query values (400; SQL-looking values are plain values) ------------------------
  { name: 'dueBefore not a date', request: () => ({ user: office, method: 'GET', path: '/tasks?dueBefore=not-a-date' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'dueBefore month 13', request: () => ({ user: office, method: 'GET', path: '/tasks?dueBefore=2025-13-45T00:00:00Z' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'SLA report from= not a date', request: () => ({ user: head, method: 'GET', path: '/reports/sla?from=yesterday' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'sortBy an SQL fragment', request: () => ({ user: office, method: 'GET', path: `/tasks?sortBy=${encodeURIComponent('due; DROP TABLE tasks')}` }), status: 400, code: 'BAD_REQUEST' },
  { name: 'sortOrder unknown', request: () => ({ user: office, method: 'GET', path: '/tasks?sortOrder=sideways' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'task state unknown', request: () => ({ user: office, method: 'GET', path: '/tasks?state=deleted' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'instance state unknown', request: () => ({ user: admin, method: 'GET', path: `/process-instances?state=${encodeURIComponent("running' --")}` }), status: 400, code: 'BAD_REQUEST' },
  { name: 'maxResults negative', request: () => ({ user: office, method: 'GET', path: '/tasks?maxResults=-1' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'maxResults too large', request: () => ({ user: office, method: 'GET', path: '/tasks?maxResults=100000' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'firstResult not a number', request: () => ({ user: office, method: 'GET', path: '/tasks?firstResult=1e3' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'boolean filter not true/false', request: () => ({ user: office, method: 'GET', path: '/tasks?unassigned=1' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a filter given twice', request: () => ({ user: office, method: 'GET', path: '/tasks?candidateGroup=office&candidateGroup=head' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a filter longer than 255 characters', request: () => ({ user: office, method: 'GET', path: `/tasks?businessKey=${'b'.repeat(300)}` }), status: 400, code: 'BAD_REQUEST' },
  { name: 'notifications unread=yes', request: () => ({ user: office, method: 'GET', path: '/notifications?unread=yes' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'XML version not a number', request: () => ({ user: office, method: 'GET', path: `/process-definitions/${KEY}/xml?version=latest` }), status: 400, code: 'BAD_REQUEST' },
  {
    name: "SQL-looking businessKey filter matches nothing (a value, not SQL)",
    request: () => ({ user: admin, method: 'GET', path: `/tasks?businessKey=${encodeURIComponent("' OR '1'='1")}` }),
    status: 200,
    code: '',
    check: (b) => expect(b).toEqual({ items: [], total: 0 }),
  },
  {
    name: 'SQL-looking processDefinitionKey filter on instances matches nothing',
    request: () => ({ user: admin, method: 'GET', path: `/process-instances?processDefinitionKey=${encodeURIComponent('x" OR 1=1; --')}` }),
    status: 200,
    code: '',
    check: (b) => expect(b).toEqual({ items: [], total: 0 }),
  },
  {
    name: 'a clerk filtering by another group sees nothing of it',
    request: () => ({ user: head, method: 'GET', path: '/tasks?candidateGroup=office' }),
    status: 200,
    code: '',
    check: (b) => expect(b.total).toBe(0),
  },

  // --- deployments (400 / 413 / 422) ----------------------------------------------------------------
  { name: 'broken XML', request: () => ({ user: admin, method: 'POST', path: '/deployments?name=broken.bpmn', body: '<bpmn:definitions><oops', headers: { 'content-type': 'application/xml' } }), status: 422, code: 'INVALID_DEFINITION', check: (b) => expect(b.error.details.problems[0].rule).toBe('parse') },
  { name: 'XML that is not BPMN', request: () => ({ user: admin, method: 'POST', path: '/deployments?name=x.bpmn', body: '<?xml version="1.0"?><html><body>hi</body></html>', headers: { 'content-type': 'application/xml' } }), status: 422, code: 'INVALID_DEFINITION' },
  {
    name: 'XML with an external entity (XXE)',
    request: () => ({
      user: admin,
      method: 'POST',
      path: '/deployments?name=xxe.bpmn',
      body: diagram().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(/(<bpmn:process id="weapon-registration"[^>]*name=")[^"]*"/, '$1&xxe;"'),
      headers: { 'content-type': 'application/xml' },
    }),
    status: 422,
    code: 'INVALID_DEFINITION',
    check: (b) => expect(JSON.stringify(b)).not.toContain('root:'),
  },
  { name: 'empty XML body', request: () => ({ user: admin, method: 'POST', path: '/deployments?name=empty.bpmn', body: ' ', headers: { 'content-type': 'application/xml' } }), status: 422, code: 'INVALID_DEFINITION', check: (b) => expect(b.error.details.problems[0].rule).toBe('parse') },
  { name: 'resources is not an array', request: () => ({ user: admin, method: 'POST', path: '/deployments', body: { resources: { name: 'x.bpmn' } } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'resource source is a number', request: () => ({ user: admin, method: 'POST', path: '/deployments', body: { resources: [{ name: 'x.bpmn', source: 42 }] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'no resources', request: () => ({ user: admin, method: 'POST', path: '/deployments', body: { resources: [] } }), status: 400, code: 'NO_RESOURCES' },
  { name: 'text/plain body', request: () => ({ user: admin, method: 'POST', path: '/deployments', body: diagram(), headers: { 'content-type': 'text/plain' } }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'diagram naming a handler that is not registered',
    request: () => ({ user: admin, method: 'POST', path: '/deployments', body: { resources: [{ name: 'missing-handler.bpmn', source: withService().replace(/camunda:topic="[^"]+"/, 'camunda:topic="no.such-handler"') }] } }),
    status: 422,
    code: 'INVALID_DEFINITION',
    check: (b) => expect(b.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'reglament/service-task-handler' })])),
  },
  {
    name: 'diagram calling a process that is not deployed',
    request: () => ({ user: admin, method: 'POST', path: '/deployments', body: { resources: [{ name: 'missing-call.bpmn', source: diagram().replace('calledElement="egov-portal-intake"', 'calledElement="no-such-shared-flow"') }] } }),
    status: 422,
    code: 'INVALID_DEFINITION',
    check: (b) => expect(b.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'reglament/call-activity-target' })])),
  },
  {
    name: 'two resources, one invalid: nothing of the batch is deployed',
    request: () => ({
      user: admin,
      method: 'POST',
      path: '/deployments',
      body: { resources: [{ name: 'ok.bpmn', source: diagram().replace(/(<bpmn:process id="weapon-registration"[^>]*name=")/, '$1v2 ') }, { name: 'bad.bpmn', source: '<bpmn:definitions' }] },
    }),
    status: 422,
    code: 'INVALID_DEFINITION',
  },
  { name: 'XML over the 5 MB limit', request: () => ({ user: admin, method: 'POST', path: '/deployments?name=big.bpmn', body: diagram().replace('</bpmn:definitions>', `<!-- ${'x'.repeat(MAX_BODY_BYTES)} --></bpmn:definitions>`), headers: { 'content-type': 'application/xml' } }), status: 413, code: 'PAYLOAD_TOO_LARGE' },

  // --- bounded requests (issue 13): nesting, variable counts, paging, links, failed sign-ins ---------
  { name: 'start JSON nested 6,000 deep', request: () => ({ user: office, method: 'POST', path: START, body: `{"variables":{"applicantName":${nested(6000)}}}`, headers: { 'content-type': 'application/json' } }), status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'completion JSON nested 6,000 deep', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: `{"variables":{"scannedDocuments":${nested(6000)}}}`, headers: { 'content-type': 'application/json' } }), status: 400, code: 'JSON_TOO_DEEP' },
  { name: 'start with 100,000 variables', request: (f) => ({ user: office, method: 'POST', path: START, body: { variables: { ...f.validStart, ...manyVariables(100_000) } } }), status: 400, code: 'TOO_MANY_VARIABLES', check: (b) => expect(b.error.message).toContain('at most 1000 variables') },
  { name: 'completion with 1,001 variables', request: (f) => ({ user: office, method: 'POST', path: `/tasks/${f.openTask}/complete`, body: { variables: manyVariables(1001) } }), status: 400, code: 'TOO_MANY_VARIABLES' },
  { name: 'engine-rest start JSON nested 6,000 deep', request: () => ({ user: office, method: 'POST', api: 'engine-rest', path: ENGINE_START, body: `{"variables":{"applicantName":{"value":${nested(6000)},"type":"Json"}}}`, headers: { 'content-type': 'application/json' } }), status: 400, code: 'InvalidRequestException', check: (b) => expect(b.message).toContain('more than 64 levels') },
  { name: 'engine-rest start with 100,000 variables', request: () => ({ user: office, method: 'POST', api: 'engine-rest', path: ENGINE_START, body: { variables: manyVariables(100_000, true) } }), status: 400, code: 'InvalidRequestException', check: (b) => expect(b.message).toContain('at most 1000 variables') },
  { name: 'engine-rest firstResult=99999999999999999999', request: () => ({ user: admin, method: 'GET', api: 'engine-rest', path: '/deployment?firstResult=99999999999999999999' }), status: 400, code: 'InvalidRequestException', check: (b) => expect(b.message).toContain('firstResult') },
  { name: 'engine-rest maxResults=99999999999999999999', request: () => ({ user: admin, method: 'GET', api: 'engine-rest', path: '/deployment?maxResults=99999999999999999999' }), status: 400, code: 'InvalidRequestException', check: (b) => expect(b.message).toContain('maxResults') },
  {
    name: 'engine-rest links ignore a forged Host header',
    request: () => ({ user: admin, method: 'GET', api: 'engine-rest', path: '/deployment', headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } }),
    status: 200,
    code: '',
    check: (b) => {
      expect(b.length).toBeGreaterThan(0);
      for (const d of b) expect(d.links[0].href).toBe(`${current!.url}/engine-rest/deployment/${d.id}`);
      expect(JSON.stringify(b)).not.toContain('evil.example');
    },
  },
  {
    name: 'a valid token from a client over the failed sign-in limit (/api)',
    before: () => wrongTokens('127.0.0.2'),
    request: () => ({ user: admin, method: 'GET', path: '/tasks', from: '127.0.0.2' }),
    status: 429,
    code: 'TOO_MANY_FAILED_SIGN_INS',
    check: (b, h) => {
      expect(Number(h['retry-after'])).toBeGreaterThan(0);
      expect(b.error.details.retryAfterSeconds).toBe(Number(h['retry-after']));
    },
  },
  {
    name: 'a Basic sign-in from a client over the failed sign-in limit (/engine-rest)',
    before: () => wrongTokens('127.0.0.3', 'engine-rest'),
    request: () => ({ user: null, method: 'GET', api: 'engine-rest', path: '/deployment', from: '127.0.0.3', headers: { authorization: `Basic ${Buffer.from(`admin:${tokenOf(admin)}`).toString('base64')}` } }),
    status: 429,
    code: 'AuthenticationException',
    check: (_b, h) => expect(Number(h['retry-after'])).toBeGreaterThan(0),
  },
];

/** Every table of the database (and the sqlite schema), rows in a stable order: equal dumps = equal data. */
async function dumpDatabase(dataSource: DataSource): Promise<string> {
  const postgres = dataSource.options.type === 'postgres';
  const tables: string[] = postgres
    ? (await dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)).map((r: { name: string }) => r.name)
    : (await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)).map((r: { name: string }) => r.name);
  const parts: string[] = [];
  if (!postgres) parts.push(JSON.stringify(await dataSource.query(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`)));
  for (const table of tables) {
    const rows: unknown[] = await dataSource.query(`SELECT * FROM "${table.replace(/"/g, '')}"`);
    parts.push(`## ${table} (${rows.length})\n${rows.map((r) => JSON.stringify(r)).sort().join('\n')}`);
  }
  return parts.join('\n');
}

/** Internals that must never reach a client: stack frames, source paths, SQL and driver errors. */
const LEAK_PATTERNS: RegExp[] = [
  /\n\s*at\s+\S+/,
  /\bat\s+\S+\s+\((?:\/|node:)/,
  /node_modules/,
  /\.(?:ts|js):\d+:\d+/,
  /SQLITE_[A-Z]+/,
  /QueryFailedError|EntityNotFound|TypeORMError/,
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\bINSERT\s+INTO\b/i,
  /\bUPDATE\s+"?\w+"?\s+SET\b/i,
  /syntax error at or near/i,
];

function assertNoLeak(body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  for (const pattern of LEAK_PATTERNS) expect({ leak: pattern.source, matched: pattern.test(text) }).toEqual({ leak: pattern.source, matched: false });
}

describe('bad-input matrix: every hostile request gets its 4xx and leaves the database as it was', () => {
  let t: TestHost;
  let f: Fixtures;

  /** node:http rather than fetch: the rows set Host and the source address themselves. */
  async function send(r: Request): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.user) headers.authorization = `Bearer ${tokenOf(r.user)}`;
    let body: string | undefined;
    if (r.body !== undefined) {
      body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      if (typeof r.body !== 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
    }
    const target = new URL(`${t.url}/${r.api ?? 'api'}${r.path}`);
    const { status, text, responseHeaders } = await new Promise<{ status: number; text: string; responseHeaders: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: r.method, headers, localAddress: r.from ?? '127.0.0.1' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), responseHeaders: res.headers }));
      });
      // The server may answer (413) and close before the whole body is sent.
      req.on('error', reject);
      req.end(body);
    });
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    return { status, body: parsed, headers: responseHeaders };
  }

  async function openTaskOf(instanceId: string): Promise<string> {
    const child = (await t.call(admin, 'GET', `/process-instances?processDefinitionKey=elicense-provider-intake`)).body.items.find((i: any) => i.parentInstanceId === instanceId);
    const tasks = (await t.call(admin, 'GET', `/tasks?processInstanceId=${child.id}`)).body.items;
    expect(tasks.map((x: any) => x.taskDefinitionKey)).toEqual(['attach-documents']);
    return tasks[0].id;
  }

  async function start(businessKey: string, starter = office): Promise<string> {
    const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
    const res = await t.call(starter, 'POST', START, { businessKey, variables: { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  beforeAll(async () => {
    t = await startTestHost();
    const applicant = await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY });
    const validStart = { ...applicant, channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' };
    const instanceId = await start('BAD-INPUT-OPEN');
    const openTask = await openTaskOf(instanceId);
    const claimedTask = await openTaskOf(await start('BAD-INPUT-CLAIMED'));
    expect((await t.call(office2, 'POST', `/tasks/${claimedTask}/claim`)).status).toBe(200);
    const doneTask = await openTaskOf(await start('BAD-INPUT-DONE'));
    expect((await t.call(office, 'POST', `/tasks/${doneTask}/complete`, { variables: { scannedDocuments: 2 } })).status).toBe(200);
    const endedInstanceId = await start('BAD-INPUT-ENDED', t.unregisteredEmployee);
    expect((await t.call(admin, 'GET', `/process-instances/${endedInstanceId}`)).body).toMatchObject({ state: 'completed', outcome: 'refused-employee-authorization' });
    const idempotentStart = { businessKey: 'BAD-INPUT-IDEMPOTENT', variables: { ...(await t.sim.prepareApplicant({ kind: 'legal-entity', processKey: KEY })), channel: 'provider', variant: 'registration', applicantKind: 'legal-entity' } };
    const first = await send({ user: office, method: 'POST', path: START, body: idempotentStart, headers: { 'idempotency-key': IDEMPOTENCY_KEY } });
    expect(first.status).toBe(201);
    f = { url: t.url, instanceId, openTask, claimedTask, doneTask, endedInstanceId, validStart, idempotentInstanceId: first.body.id };
    current = f;
    // The valid start variables the rows spoil one field at a time (the same shape started the fixtures above).
    expect(Object.keys(validStart).sort()).toEqual(['applicantIinBin', 'applicantKind', 'applicantName', 'channel', 'signedRequest', 'variant']);
  });
  afterAll(() => t.close());

  it('has at least 50 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
  });

  it.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const before = await dumpDatabase(t.host.dataSource);
    for (const earlier of row.before?.(f) ?? []) expect((await send(earlier)).status).toBe(401);
    const res = await send(row.request(f));
    const after = await dumpDatabase(t.host.dataSource);
    const engineRest = row.request(f).api === 'engine-rest';
    expect({ status: res.status, code: (engineRest ? res.body?.type : res.body?.error?.code) ?? '' }).toEqual({ status: row.status, code: row.code });
    if (row.status >= 400) expect(typeof (engineRest ? res.body?.message : res.body?.error?.message)).toBe('string');
    row.check?.(res.body, res.headers);
    assertNoLeak(res.body);
    expect(after === before).toBe(true);
  });

  it('after the matrix the fixtures are intact: the open task still completes', async () => {
    const res = await t.call(office, 'POST', `/tasks/${f.openTask}/complete`, { variables: { scannedDocuments: 3 } });
    expect(res.status).toBe(200);
    const again = await t.call(office, 'POST', `/tasks/${f.openTask}/complete`, { variables: { scannedDocuments: 3 } });
    expect(again.status).toBe(409);
  });
});

import Ajv2020 from 'ajv/dist/2020';
import type { Router } from 'express';
import addFormats from 'ajv-formats';
import { engineRestRoutes } from '../../src/api/engine-rest';
import { engineRestOpenApiDocument, engineRestServedRoutes } from '../../src/api/engine-rest/openapi-engine-rest';
import { UNSUPPORTED } from '../../src/api/engine-rest/unsupported';
import { documentedRoutes } from '../../src/api/openapi';
import { camundaCall, cottonCaseAt } from '../support/camunda-client';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * The second OpenAPI document, of the Camunda 7 dialect on /engine-rest (issue 20). Its routes are
 * plain express routes in Camunda's shapes, so the document is kept by hand; this test holds it
 * against what the router serves, both ways, and catches a route added without its entry.
 */
describe('GET /engine-rest/openapi.json', () => {
  let t: TestHost;
  let document: any;
  beforeAll(async () => {
    t = await startTestHost();
    const res = await fetch(`${t.url}/engine-rest/openapi.json`);
    expect(res.status).toBe(200);
    document = await res.json();
  });
  afterAll(() => t.close());

  it('describes exactly the routes /engine-rest serves', () => {
    const served = engineRestServedRoutes(engineRestRoutes(t.host)).sort();
    expect(served.length).toBeGreaterThan(40);
    expect(documentedRoutes(document).sort()).toEqual(served);
  });

  it('catches a route added to the router without its entry', () => {
    const router = engineRestRoutes(t.host);
    router.get('/task/:id/undocumented-example', (_req, res) => {
      res.json([]);
    });
    const documented = new Set(documentedRoutes(engineRestOpenApiDocument()));
    const undocumented = (r: Router) => engineRestServedRoutes(r).filter((route) => !documented.has(route));
    // (Empty before, as the test above shows.)
    expect(undocumented(router)).toEqual([...undocumented(engineRestRoutes(t.host)), 'GET /task/{id}/undocumented-example']);
  });

  it('is a well-formed OpenAPI 3.1 document: path parameters, references that resolve, schemas that compile, Camunda error bodies', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('7.24.0');
    const schemas = document.components.schemas as Record<string, unknown>;
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) {
      const name = /#\/components\/schemas\/([^"]+)"/.exec(r)?.[1];
      expect(name && schemas[name] ? r : `unresolved ${r}`).toBe(r);
    }
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    for (const name of Object.keys(schemas)) expect(() => ajv.getSchema(`#/components/schemas/${name}`)).not.toThrow();
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        expect(['get', 'post', 'put', 'delete']).toContain(method);
        expect(typeof operation.summary).toBe('string');
        const pathParams = (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
        expect({ path, method, pathParams }).toEqual({ path, method, pathParams: templated });
        for (const [status, answer] of Object.entries(operation.responses as Record<string, any>)) {
          if (Number(status) >= 400) expect({ path, method, status, schema: answer.content?.['application/json']?.schema }).toEqual({ path, method, status, schema: { $ref: '#/components/schemas/CamundaError' } });
        }
      }
    }
  });

  it("answers as the document describes: real answers of a case's resources validate against their schemas", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'engine-rest', components: document.components });
    const problems = (name: string, value: unknown) => {
      const validate = ajv.compile({ $ref: `engine-rest#/components/schemas/${name}` });
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message}`);
    };
    const { instanceId, taskId } = await cottonCaseAt(t, 'OPENAPI-1', 'head-resolution');
    const call = async (user: string, method: string, route: string, body?: unknown) => (await camundaCall(t, user, method, route, body)).body;
    const filter = await call('hasan-head', 'POST', '/filter/create', { resourceType: 'Task', name: 'Mine', query: { candidateGroup: 'head' } });
    const comment = await call('hasan-head', 'POST', `/task/${taskId}/comment/create`, { message: 'Қаралды' });
    const checks: [string, unknown][] = [
      ['Version', await call('hasan-head', 'GET', '/version')],
      ['AuthenticationResult', (await camundaCall(t, null, 'POST', '/identity/verify', { username: 'hasan-head', password: tokenOf('hasan-head') })).body],
      ['UserProfile', await call('hasan-head', 'GET', '/user/hasan-head/profile')],
      ['GroupInfo', await call('hasan-head', 'GET', '/identity/groups?userId=hasan-head')],
      ['Task', await call('hasan-head', 'GET', `/task/${taskId}`)],
      ['Variables', await call('hasan-head', 'GET', `/task/${taskId}/form-variables`)],
      ['Count', await call('hasan-head', 'GET', '/task/count')],
      ['Filter', filter],
      ['Comment', comment],
      ...((await call('hasan-head', 'GET', `/task/${taskId}/identity-links`)) as unknown[]).map((link) => ['IdentityLink', link] as [string, unknown]),
      ...((await call('admin', 'GET', '/deployment')) as unknown[]).slice(0, 1).map((d) => ['Deployment', d] as [string, unknown]),
      ...((await call('hasan-head', 'GET', '/process-definition?key=cotton-warehouse-license')) as unknown[]).map((d) => ['ProcessDefinition', d] as [string, unknown]),
      ['RuntimeProcessInstance', await call('hasan-head', 'GET', `/process-instance/${instanceId}`)],
      ['ActivityInstance', await call('hasan-head', 'GET', `/process-instance/${instanceId}/activity-instances`)],
      ['HistoricProcessInstance', await call('hasan-head', 'GET', `/history/process-instance/${instanceId}`)],
      ...((await call('hasan-head', 'GET', `/history/activity-instance?processInstanceId=${instanceId}`)) as unknown[]).map((a) => ['HistoricActivityInstance', a] as [string, unknown]),
      ...((await call('hasan-head', 'GET', `/history/task?processInstanceId=${instanceId}`)) as unknown[]).map((a) => ['HistoricTask', a] as [string, unknown]),
      ...((await call('hasan-head', 'GET', `/history/variable-instance?processInstanceId=${instanceId}`)) as unknown[]).map((a) => ['HistoricVariableInstance', a] as [string, unknown]),
      ...((await call('hasan-head', 'GET', `/history/user-operation?processInstanceId=${instanceId}`)) as unknown[]).map((a) => ['UserOperation', a] as [string, unknown]),
      ['CamundaError', await call('hasan-head', 'GET', '/task/no-such-task')],
    ];
    // The check bites: a task without its fields, or a comment with a number for its message, is reported.
    expect(problems('Task', { id: 1 })).not.toEqual([]);
    expect(problems('Comment', { ...(comment as object), message: 7 })).toEqual(['Comment/message must be string']);
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.flatMap(([name, value]) => problems(name, value))).toEqual([]);
  });

  it('lists every unsupported part with its reason', () => {
    for (const entry of UNSUPPORTED) expect(document.info.description).toContain(entry.message);
  });

  it('answers /version as the document describes it', async () => {
    const validate = new Ajv2020({ strict: false }).compile(document.components.schemas.Version);
    const version = await (await fetch(`${t.url}/engine-rest/version`)).json();
    expect(validate(version)).toBe(true);
  });
});

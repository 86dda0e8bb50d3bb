import Ajv2020 from 'ajv/dist/2020';
import type { Router } from 'express';
import addFormats from 'ajv-formats';
import { engineRestRoutes } from '../../src/api/engine-rest';
import { engineRestOpenApiDocument, engineRestServedRoutes } from '../../src/api/engine-rest/openapi-engine-rest';
import { UNSUPPORTED } from '../../src/api/engine-rest/unsupported';
import { documentedRoutes } from '../../src/api/openapi';
import { startTestHost, TestHost } from '../support/test-host';

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

  it('lists every unsupported part with its reason', () => {
    for (const entry of UNSUPPORTED) expect(document.info.description).toContain(entry.message);
  });

  it('answers /version as the document describes it', async () => {
    const validate = new Ajv2020({ strict: false }).compile(document.components.schemas.Version);
    const version = await (await fetch(`${t.url}/engine-rest/version`)).json();
    expect(validate(version)).toBe(true);
  });
});

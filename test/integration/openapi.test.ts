import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { apiRoutes, createApiRouter } from '../../src/api/app';
import { documentedRoutes, openApiDocument, servedRoutes } from '../../src/api/openapi';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * The contract written once (issue 14): the OpenAPI document of /api is generated from the route
 * table the router is made of. This test holds the two against each other: every route the router
 * serves is documented, every documented route is served, and a route added to the router past
 * the table (without its schemas) is caught.
 */
describe('GET /api/openapi.json', () => {
  let t: TestHost;
  let document: any;
  beforeAll(async () => {
    t = await startTestHost();
    const res = await fetch(`${t.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    document = await res.json();
  });
  afterAll(() => t.close());

  it('documents exactly the routes /api serves', () => {
    const served = servedRoutes(createApiRouter(t.host)).sort();
    expect(served.length).toBeGreaterThan(15);
    expect(documentedRoutes(document).sort()).toEqual(served);
  });

  it('catches a route added to the router without its schemas in the table', () => {
    const router = createApiRouter(t.host);
    router.get('/tasks/:id/undocumented-example', (_req, res) => {
      res.json([]);
    });
    const documented = new Set(documentedRoutes(openApiDocument(apiRoutes(t.host))));
    const undocumented = servedRoutes(router).filter((r) => !documented.has(r));
    expect(undocumented).toEqual(['GET /tasks/{id}/undocumented-example']);
  });

  it('is a well-formed OpenAPI 3.1 document: parameters of every path, references that resolve, schemas that compile', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('reglament-date', true);
    const schemas = document.components.schemas as Record<string, unknown>;
    for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)"/.exec(ref)?.[1];
      expect(name && schemas[name] ? ref : `unresolved ${ref}`).toBe(ref);
    }
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        expect(['get', 'post', 'put']).toContain(method);
        expect(typeof operation.summary).toBe('string');
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        const pathParams = (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
        expect({ path, pathParams }).toEqual({ path, pathParams: templated });
        for (const p of operation.parameters ?? []) expect(['path', 'query', 'header']).toContain(p.in);
      }
    }
    // Every schema compiles as JSON Schema 2020-12, with the references resolved against the components.
    for (const name of Object.keys(schemas)) expect(() => ajv.getSchema(`#/components/schemas/${name}`)).not.toThrow();
  });

  it('serves the task and the start form with their JSON Schema', () => {
    expect(document.components.schemas.TaskDetail.properties.formSchema).toBeDefined();
    expect(document.components.schemas.ProcessDefinitionDetail.properties.startFormSchema).toBeDefined();
  });
});

/**
 * The OpenAPI 3.1 document of /api, generated from the route table (src/api/route-table.ts) and
 * its zod schemas: nothing of it is written by hand but the words. `servedRoutes` reads what an
 * express router really serves, so a test can hold the two against each other.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { ApiRoute } from './route-table';
import { ErrorBody } from './schemas/resources';

type JsonSchema = Record<string, unknown>;

/** `/tasks/:id` → `/tasks/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** Named schemas (`.meta({ id })`) go to components; everything else is inlined. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  constructor(private readonly io: 'input' | 'output') {}

  toJson(schema: z.ZodType): JsonSchema {
    return this.convert(schema);
  }

  private convert(schema: z.ZodType): JsonSchema {
    const result = z.toJSONSchema(schema, { target: 'draft-2020-12', io: this.io, unrepresentable: 'any', reused: 'inline', cycles: 'ref' }) as JsonSchema;
    return this.hoist(result);
  }

  /** Moves every `$defs` entry to components and points its references there. */
  private hoist(json: JsonSchema): JsonSchema {
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$schema;
    delete json.$defs;
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (!node || typeof node !== 'object') return node;
      const out: JsonSchema = {};
      for (const [key, value] of Object.entries(node)) {
        out[key] = key === '$ref' && typeof value === 'string' ? value.replace(/^#\/\$defs\//, '#/components/schemas/') : rewrite(value);
      }
      return out;
    };
    for (const [name, def] of Object.entries(defs)) this.components[name] = rewrite(def) as JsonSchema;
    const id = json.id;
    if (typeof id === 'string') {
      delete json.id;
      this.components[id] = rewrite(json) as JsonSchema;
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewrite(json) as JsonSchema;
  }
}

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input; the message (and details) name the field',
  401: 'Missing or invalid bearer token',
  403: 'The user may not do this',
  404: 'Unknown id or key, or not visible to the user',
};

/** The properties of an object schema, for path, query and header parameters. */
function parametersOf(where: 'path' | 'query' | 'header', schema: z.ZodType | undefined, collector: SchemaCollector): JsonSchema[] {
  if (!schema) return [];
  const json = collector.toJson(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (where !== 'query' && (json.required ?? []).includes(name)), schema: rest, ...(description ? { description } : {}) };
  });
}

export function openApiDocument(routes: readonly ApiRoute[]): JsonSchema {
  const input = new SchemaCollector('input');
  const output = new SchemaCollector('output');
  const errorRef = output.toJson(ErrorBody);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, answer] of Object.entries(spec.responses)) {
      responses[status] = {
        description: answer.description,
        ...(answer.schema ? { content: { 'application/json': { schema: output.toJson(answer.schema) } } } : answer.mediaType ? { content: { [answer.mediaType]: { schema: { type: 'string' } } } } : {}),
      };
    }
    const standard = spec.public ? [] : [401, 403, 404, ...(spec.params || spec.query || spec.body || spec.headers || spec.multipartFile ? [400] : [])];
    for (const status of standard) responses[status] ??= { description: STANDARD_ERRORS[status], content: { 'application/json': { schema: errorRef } } };
    for (const [status, answer] of Object.entries(responses)) {
      if (Number(status) >= 400 && !answer.content) answer.content = { 'application/json': { schema: errorRef } };
    }
    const content: Record<string, JsonSchema> = {};
    if (spec.body) content['application/json'] = { schema: input.toJson(spec.body) };
    if (spec.xmlBody) content['application/xml'] = { schema: { type: 'string', description: 'One BPMN document' } };
    if (spec.multipartFile) content['multipart/form-data'] = { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary', description: spec.multipartFile } }, required: ['file'] } };
    (paths[openApiPath(spec.path)] ??= {})[spec.method] = {
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.public ? { security: [] } : {}),
      parameters: [...parametersOf('path', spec.params, input), ...parametersOf('query', spec.query, input), ...parametersOf('header', spec.headers, input)],
      ...(Object.keys(content).length > 0 ? { requestBody: { content } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reglament workflow server API',
      version: '0.2.0',
      description: 'Deploy BPMN reglaments, start instances, and work on user tasks. Authenticate with "Authorization: Bearer <token>". Errors are { error: { code, message, details } }.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { ...input.components, ...output.components } },
    paths,
  };
}

/** `GET /tasks/{id}` for every route an express router serves itself (not its middleware). */
export function servedRoutes(router: Router): string[] {
  const served: string[] = [];
  for (const layer of router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method !== '_all') served.push(`${method.toUpperCase()} ${openApiPath(layer.route.path)}`);
    }
  }
  return served;
}

/** `GET /tasks/{id}` for every operation of the document. */
export function documentedRoutes(document: JsonSchema): string[] {
  const paths = document.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

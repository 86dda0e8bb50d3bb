import { HostContext } from '../context';
import { openApiDocument } from '../openapi';
import { ApiRoute, route } from '../route-table';
import { HealthSchema, MeSchema } from '../schemas/resources';

/** The server's own routes: health, this contract, and who the token belongs to. */
export function serviceRoutes(host: HostContext, allRoutes: () => readonly ApiRoute[]): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/health',
      summary: 'Liveness and database check',
      public: true,
      responses: { 200: { description: 'OK', schema: HealthSchema } },
      async handle() {
        await host.store.ping();
        return { status: 'ok', time: host.clock.now().toISOString() };
      },
    }),
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document (OpenAPI 3.1, generated from the route table)',
      public: true,
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
      handle: () => openApiDocument(allRoutes()),
    }),
    route({
      method: 'get',
      path: '/me',
      summary: "Who is asking: the bearer token's user, or the web app session's (with the session's CSRF token)",
      responses: { 200: { description: 'OK', schema: MeSchema } },
      handle: ({ user, req }) => ({ id: user.id, name: user.name, groups: user.groups, csrfToken: req.webSession?.session.csrfToken }),
    }),
  ];
}

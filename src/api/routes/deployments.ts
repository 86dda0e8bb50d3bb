import { z } from 'zod';
import { assertAdmin } from '../../identity/access';
import { DeploymentResource } from '../../definitions/definition-service';
import { HostContext } from '../context';
import { ApiRoute, route } from '../route-table';
import { text } from '../schemas/query';
import { DeploymentResultSchema } from '../schemas/resources';

const SEND = 'Send a BPMN document as application/xml, or JSON { name?, resources: [{ name, source }] }';

const deploymentBody = z.object(
  {
    name: z.unknown().optional().meta({ type: 'string', description: 'Name of the deployment (default: the resource names)' }),
    resources: z.array(
      z.object(
        {
          name: z.unknown().optional().meta({ type: 'string', description: 'File name (default resource-<n>.bpmn)' }),
          source: z.string({ error: '{path} must be the BPMN XML text' }).refine((source) => source.trim() !== '', { error: '{path} must be the BPMN XML text' }),
        },
        { error: '{path} must be an object { name, source }' },
      ),
      { error: SEND },
    ),
  },
  { error: SEND },
);

/**
 * Deploys at run time. JSON body `{ name?, resources: [{ name, source }] }`, or one raw BPMN
 * document (Content-Type application/xml or text/xml) with `?name=file.bpmn`.
 */
export function deploymentRoutes(host: HostContext): ApiRoute[] {
  return [
    route({
      method: 'post',
      path: '/deployments',
      summary: 'Deploy BPMN resources (admin). Unchanged content creates no new version.',
      access: assertAdmin,
      query: z.object({ name: text('File name of a raw XML body') }),
      body: deploymentBody,
      xmlBody: true,
      responses: {
        201: { description: 'Deployed', schema: DeploymentResultSchema },
        200: { description: 'Nothing changed', schema: DeploymentResultSchema },
        422: { description: 'Invalid diagram(s): details.problems lists { file, elementId, rule, message }' },
      },
      async handle({ body, query, user, res }) {
        let resources: DeploymentResource[];
        let name: string;
        if (typeof body === 'string') {
          name = query.name ?? 'deployment.bpmn';
          resources = [{ name, source: body }];
        } else {
          resources = body.resources.map((r, i) => ({ name: typeof r.name === 'string' && r.name ? r.name : `resource-${i + 1}.bpmn`, source: r.source }));
          name = typeof body.name === 'string' && body.name ? body.name : resources.map((r) => r.name).join(', ');
        }
        const result = await host.definitions.deploy(resources, { name, source: 'api', user: user.id });
        res.status(result.id ? 201 : 200);
        return result;
      },
    }),
  ];
}

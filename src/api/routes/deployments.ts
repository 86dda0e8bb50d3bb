import { Router } from 'express';
import { DeploymentResource } from '../../definitions/definition-service';
import { assertAdmin } from '../../identity/access';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { badRequest } from '../errors';
import { str } from '../params';

/**
 * Deploys at run time. JSON body `{ name?, resources: [{ name, source }] }`, or one raw BPMN
 * document (Content-Type application/xml or text/xml) with `?name=file.bpmn`.
 */
export function deploymentRoutes(host: HostContext): Router {
  const router = Router();
  router.post('/deployments', async (req, res) => {
    const user = currentUser(req);
    assertAdmin(user);
    let resources: DeploymentResource[];
    let name: string;
    if (typeof req.body === 'string') {
      name = str(req.query, 'name') ?? 'deployment.bpmn';
      resources = [{ name, source: req.body }];
    } else {
      const body = req.body as { name?: unknown; resources?: unknown } | undefined;
      if (!body || !Array.isArray(body.resources)) {
        throw badRequest('Send a BPMN document as application/xml, or JSON { name?, resources: [{ name, source }] }');
      }
      resources = body.resources.map((r: unknown, i: number) => {
        const resource = r as { name?: unknown; source?: unknown };
        if (!resource || typeof resource.source !== 'string' || !resource.source.trim()) throw badRequest(`resources[${i}].source must be the BPMN XML text`);
        return { name: typeof resource.name === 'string' && resource.name ? resource.name : `resource-${i + 1}.bpmn`, source: resource.source };
      });
      name = typeof body.name === 'string' && body.name ? body.name : resources.map((r) => r.name).join(', ');
    }
    const result = await host.definitions.deploy(resources, { name, source: 'api', user: user.id });
    res.status(result.id ? 201 : 200).json(result);
  });
  return router;
}

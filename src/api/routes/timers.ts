import { Router } from 'express';
import { assertAdmin } from '../../identity/access';
import { currentUser } from '../auth';
import { HostContext } from '../context';
import { str } from '../params';

/**
 * The host's timers (the engine arms none): list them, and fire the due ones now instead of
 * waiting for the next poll (an operator's "execute job" after an outage, and the tests' way to
 * step a controlled clock).
 */
export function timerRoutes(host: HostContext): Router {
  const router = Router();
  router.get('/timers', async (req, res) => {
    assertAdmin(currentUser(req));
    res.json(await host.runtime.listTimers({ processInstanceId: str(req.query, 'processInstanceId'), state: str(req.query, 'state'), kind: str(req.query, 'kind') }));
  });
  router.post('/timers/fire-due', async (req, res) => {
    assertAdmin(currentUser(req));
    res.json(await host.runtime.fireDueTimers());
  });
  return router;
}

import { finishApp, simulatorApp } from '../simulator-server';
import { PortalDemo, portalDemoRoutes } from './simulator-demo';

/**
 * The e-government portal (www.egov.kz) as far as authorization goes: which IIN / BIN holders
 * are registered users and which of them are blocked.
 *
 * Protocol: GET /api/users/{iinBin} -> 200 { iinBin, name, registered: true, blocked } | 404 { registered: false }
 * Admin:    PUT /admin/users/{iinBin} { name, blocked? }, DELETE /admin/users/{iinBin}, GET /admin/users
 * Demo:     GET /demo, POST /demo/submit: a demo applicant's signed portal application in two clicks (simulator-demo.ts)
 */
export class EgovPortalState {
  readonly users = new Map<string, { iinBin: string; name: string; blocked: boolean }>();
  /** The demo page's applicants, services and the server's intake; unset, the page says it is not configured. */
  demo?: PortalDemo;
  addUser(iinBin: string, name = `User ${iinBin}`, blocked = false) {
    const user = { iinBin, name, blocked };
    this.users.set(iinBin, user);
    return user;
  }
  removeUser(iinBin: string) {
    this.users.delete(iinBin);
  }
}

export function createEgovPortalSimulator(state = new EgovPortalState()) {
  const app = simulatorApp('egov-portal');
  app.get('/api/users/:iinBin', (req, res) => {
    const user = state.users.get(req.params.iinBin);
    if (!user) {
      res.status(404).json({ iinBin: req.params.iinBin, registered: false });
      return;
    }
    res.json({ ...user, registered: true });
  });
  app.get('/admin/users', (_req, res) => {
    res.json([...state.users.values()]);
  });
  app.put('/admin/users/:iinBin', (req, res) => {
    res.json(state.addUser(req.params.iinBin, req.body?.name, !!req.body?.blocked));
  });
  app.delete('/admin/users/:iinBin', (req, res) => {
    state.removeUser(req.params.iinBin);
    res.status(204).end();
  });
  app.use(portalDemoRoutes(state));
  return { app: finishApp(app), state };
}

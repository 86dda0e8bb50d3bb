import express, { Router } from 'express';
import { z } from 'zod';
import { User } from '../../identity/users';
import { SignInLimiter, tooManyFailedSignIns } from '../auth';
import { HostContext } from '../context';
import { parseInput } from '../validation';
import { CamundaError, invalidRequest } from './camunda-error';

/**
 * Camunda 7.24's identity resources that clients call to sign in and to name the signed-in user.
 * Operaton's webapps-neo (frontend/src/api/resources/auth.js, verify_credentials) checks the
 * credentials with `POST /identity/verify { username, password }` sent without an Authorization
 * header, then sends HTTP Basic with them on every call; its account page reads
 * `GET /user/{id}/profile` (resources/user.js). On this server the password is the user's API token,
 * the same one HTTP Basic carries.
 */

const verifyBody = z.object(
  {
    username: z.string({ error: 'username must be a string' }).max(256, { error: 'username is too long' }).nullable().optional(),
    password: z.string({ error: 'password must be a string' }).max(512, { error: 'password is too long' }).nullable().optional(),
  },
  { error: 'The body must be a JSON object { username, password }' },
);

/**
 * `POST /identity/verify`: no credentials needed, so it is mounted before /engine-rest's
 * authentication. A wrong password counts as a failed sign-in of the client, as a wrong token does on
 * /api and on the rest of /engine-rest: past AUTH_FAILURE_LIMIT the client gets 429 until the window
 * ends, a right password included (a lucky guess must not stand out).
 */
export function engineIdentityVerifyRoutes(host: HostContext, limiter?: SignInLimiter): Router {
  const router = express.Router();
  router.post('/identity/verify', async (req, res) => {
    const wait = limiter ? await limiter.blocked(req) : null;
    if (wait !== null) {
      tooManyFailedSignIns(res, wait);
      throw new CamundaError(429, 'AuthenticationException', `Too many failed sign-ins from this client; Retry after ${wait} seconds`);
    }
    const { username, password } = parseInput('body', verifyBody, req.body ?? {}, (message) => invalidRequest(message));
    // Camunda's own words for a body without both.
    if (!username || !password) throw invalidRequest('Username and password are required');
    const user = host.users.authenticate(password);
    if (!user || user.id !== username) {
      if (limiter) await limiter.failed(req, res);
      res.json({ authenticatedUser: username, authenticated: false, groups: null, tenants: null });
      return;
    }
    res.json({ authenticatedUser: user.id, authenticated: true, groups: user.groups, tenants: [] });
  });
  return router;
}

/** A user's profile as Camunda's UserProfileDto; the users file has one display name and no e-mail. */
function profileOf(user: User) {
  return { id: user.id, firstName: user.name, lastName: null, email: null };
}

/**
 * `GET /user/{id}/profile` and `GET /identity/groups?userId=`: a user reads their own (who else
 * belongs to which group is shown to those who hand out work through /api/users, not here).
 */
export function engineUserRoutes(host: HostContext): Router {
  const router = express.Router();

  function ownId(requested: string, signedIn: User): void {
    if (requested !== signedIn.id) {
      throw new CamundaError(403, 'AuthorizationException', `The user with id '${signedIn.id}' does not have 'READ' permission on resource '${requested}' of type 'User': on this server a user reads only their own profile`);
    }
  }

  router.get('/user/:id/profile', (req, res) => {
    const user = req.user!;
    ownId(req.params.id as string, user);
    res.json(profileOf(user));
  });

  // Camunda 7's tasklist asks for the groups of the signed-in user and their fellow members.
  router.get('/identity/groups', (req, res) => {
    const user = req.user!;
    const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
    if (!userId) throw invalidRequest('No user id was supplied');
    ownId(userId, user);
    const fellows = new Map<string, User>();
    for (const group of user.groups) for (const member of host.users.members(group)) if (member.id !== user.id) fellows.set(member.id, member);
    res.json({
      groups: [...user.groups].sort().map((id) => ({ id, name: id })),
      groupUsers: [...fellows.values()].map((u) => ({ id: u.id, firstName: u.name, lastName: null, displayName: u.name })),
    });
  });

  return router;
}

import { z } from 'zod';
import { ApiAuth, tooManyFailedSignIns } from '../auth';
import { HostContext } from '../context';
import { DomainError, unauthorized } from '../errors';
import { ApiRoute, route } from '../route-table';
import { MeSchema, SignedOutSchema } from '../schemas/resources';
import { clearSessionCookie, sessionCookie, setSessionCookie } from '../session';

/*
 * The web app's sign-in and sign-out. Sign-in takes the token in a JSON body: a page of another
 * site can post a form but not JSON without the preflight this server never grants, so no one can
 * sign a browser in under their own token from elsewhere.
 */
const signInBody = z.object({ token: z.string().min(1).max(512).meta({ description: "The user's token (as printed at the first start, or from the users file)" }) }, { error: 'The body must be a JSON object { token }' });

export function sessionRoutes(host: HostContext, auth: ApiAuth): ApiRoute[] {
  return [
    route({
      method: 'post',
      path: '/sign-in',
      summary: 'The web app signs in: a token for an HttpOnly session cookie and the CSRF token its unsafe requests send',
      description:
        'Sets `reglament_session` (HttpOnly, SameSite=Strict, Path=/api, Secure when the server is reached over https). Requests with the cookie and no Authorization header are the session\'s; a POST among them must send `X-CSRF-Token` with `csrfToken` (403 `CSRF_TOKEN_MISSING` / `CSRF_TOKEN_INVALID` otherwise). A wrong token counts as a failed sign-in (429 after AUTH_FAILURE_LIMIT).',
      public: true,
      body: signInBody,
      responses: { 200: { description: 'Signed in', schema: MeSchema }, 429: { description: 'Too many failed sign-ins from this client' } },
      async handle({ req, res, body }) {
        const wait = await auth.limiter.blocked(req);
        if (wait !== null) throw tooManyFailedSignIns(res, wait);
        const user = host.users.authenticate((body as z.output<typeof signInBody>).token);
        if (!user) {
          await auth.limiter.failed(req, res);
          throw unauthorized('The token is not valid');
        }
        // A session the browser held before is ended: one sign-in, one session (no fixation).
        const earlier = sessionCookie(req);
        if (earlier) await auth.sessions.revoke(earlier);
        const { sessionId, session } = await auth.sessions.create(user);
        setSessionCookie(res, sessionId, auth.sessions.cookieMaxAgeMs, auth.secureCookies(req));
        return { id: user.id, name: user.name, groups: user.groups, csrfToken: session.csrfToken };
      },
    }),
    route({
      method: 'post',
      path: '/sign-out',
      summary: "Ends the web app's session on every server: the cookie no longer signs anyone in, also where a copy of it was kept",
      responses: { 200: { description: 'Signed out', schema: SignedOutSchema } },
      async handle({ req, res }) {
        if (!req.webSession) throw new DomainError('invalid', 'NO_SESSION', 'This request was not made with a session cookie; a Bearer token has nothing to sign out of');
        await auth.sessions.revoke(req.webSession.id);
        clearSessionCookie(res, auth.secureCookies(req));
        return { signedOut: true };
      },
    }),
  ];
}

import { NextFunction, Request, Response } from 'express';
import { User, UserDirectory } from '../identity/users';
import { forbidden, unauthorized } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

/** Bearer token authentication; the user is attached to the request. */
export function authenticate(users: UserDirectory) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return next(unauthorized('Send "Authorization: Bearer <token>"'));
    const user = users.authenticate(match[1]);
    if (!user) return next(unauthorized('The bearer token is not valid'));
    req.user = user;
    next();
  };
}

export function currentUser(req: Request): User {
  if (!req.user) throw unauthorized();
  return req.user;
}

export function requireGroup(req: Request, ...groups: string[]): User {
  const user = currentUser(req);
  if (!groups.some((g) => user.groups.includes(g))) throw forbidden(`This operation needs group ${groups.join(' or ')}; user ${user.id} is in ${user.groups.join(', ') || 'no group'}`);
  return user;
}

/**
 * Express glue: authenticate before GraphQL runs, and hand the principal to the request
 * context. Refusals are GraphQL-shaped JSON with extensions.code, and say nothing more.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '../errors/codes.js';
import { AccessLog } from './audit/access-log.js';
import { API_KEY_HEADER } from './auth.js';
import type { Principal } from './principal.js';
import { PURPOSE_HEADER, type PrivacyRequest } from './request.js';
import type { PrivacyRuntime } from './runtime.js';

const principals = new WeakMap<IncomingMessage, { principal: Principal; privacy: PrivacyRuntime }>();

export function refuse(res: Response, status: 401 | 403 | 400 | 404, code: string, message: string): void {
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly status: 401 | 403; readonly code: string; readonly message: string };

/** Authenticates a request and remembers its principal (for the context), or says why it is refused. */
export async function admit(privacy: PrivacyRuntime, accept: (principal: Principal) => boolean, req: IncomingMessage): Promise<Admission> {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const principal = await privacy.authenticate({ authorization: header('authorization'), apiKey: header(API_KEY_HEADER) });
  if (principal === null) return { admitted: false, status: 401, code: ErrorCode.UNAUTHENTICATED, message: 'Authentication required.' };
  if (!accept(principal)) return { admitted: false, status: 403, code: ErrorCode.FORBIDDEN, message: 'This endpoint is not open to this caller.' };
  principals.set(req, { principal, privacy });
  return { admitted: true };
}

/** `/graphql` takes every role but partners, who have their own endpoint. */
export function authenticateMiddleware(privacy: PrivacyRuntime, accept: (principal: Principal) => boolean) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const admission = await admit(privacy, accept, req);
    if (!admission.admitted) return refuse(res, admission.status, admission.code, admission.message);
    next();
  };
}

export function acceptsMainEndpoint(principal: Principal): boolean {
  return principal.role !== 'partner';
}

export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req)?.principal;
}

/** Traces name tables and REST paths (which may hold an email): admins only. */
export function mayTrace(req: IncomingMessage): boolean {
  return principals.get(req)?.principal.role === 'admin';
}

/** The privacy part of a request context; the middleware ran before, so a principal is there. */
export function privacyRequestFor(req: IncomingMessage & { header(name: string): string | undefined }): PrivacyRequest {
  const authenticated = principals.get(req);
  if (authenticated === undefined) throw new Error('privacy middleware did not run before the GraphQL handler');
  const purpose = req.header(PURPOSE_HEADER);
  return {
    principal: authenticated.principal,
    purpose: purpose === undefined ? undefined : purpose.slice(0, 100),
    access: new AccessLog(),
    services: authenticated.privacy,
  };
}

/**
 * DNS rebinding: a web page on evil.example re-points its name at 127.0.0.1 and then
 * talks to a gateway on the operator's machine as if same-origin. The browser still sends
 * `Host: evil.example`, so a request is served only when its Host names this gateway:
 * `server.hostNames`, the address it is bound to, and, bound to loopback, `localhost`,
 * 127.0.0.1 and [::1]. Bound to every interface with no names configured, any Host is
 * served (and a warning says so).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '']);

/** The name of a Host header without its port, lower-case; IPv6 without brackets. */
export function hostNameOf(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export function allowedHostNames(bindHost: string, configured: ReadonlyArray<string> | undefined): ReadonlySet<string> | undefined {
  const names = new Set((configured ?? []).map((name) => hostNameOf(name)));
  const bound = hostNameOf(bindHost);
  if (WILDCARD_HOSTS.has(bound)) return names.size === 0 ? undefined : names;
  names.add(bound);
  if (LOOPBACK_NAMES.includes(bound) || bound.startsWith('127.')) for (const name of LOOPBACK_NAMES) names.add(name);
  return names;
}

export function hostCheckMiddleware(bindHost: string, configured: ReadonlyArray<string> | undefined, logger: Logger) {
  const allowed = allowedHostNames(bindHost, configured);
  if (allowed === undefined)
    logger.warn({ host: bindHost }, 'server.hostNames is not set and the gateway listens on every interface: any Host header is served (DNS rebinding)');
  return (req: Request, res: Response, next: NextFunction): void => {
    // Probes address the pod by its IP; /health and /ready tell a page nothing.
    if (allowed === undefined || req.path === '/health' || req.path === '/ready' || allowed.has(hostNameOf(req.headers.host ?? ''))) {
      next();
      return;
    }
    res.status(421).json({ errors: [{ message: 'This gateway does not answer for that Host (server.hostNames).', extensions: { code: 'BAD_REQUEST' } }] });
  };
}

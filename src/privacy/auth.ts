/**
 * Authentication: an API key (only its SHA-256 is in the config) or a JWT bearer token
 * (HS256 with a shared secret, RS256 with keys from a JWKS URL) becomes a Principal.
 * A missing and a wrong credential get the same answer, so a caller learns nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type PrivacyConfig, type Role } from '../config/privacy-config.js';
import { principalFor, type Principal } from './principal.js';

export const API_KEY_HEADER = 'x-api-key';

export interface Credentials {
  readonly authorization?: string | undefined;
  readonly apiKey?: string | undefined;
}

/** Resolves to null for a missing or unacceptable credential; never says which. */
export type Authenticator = (credentials: Credentials) => Promise<Principal | null>;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createAuthenticator(privacy: PrivacyConfig): Authenticator {
  const keys = privacy.auth.apiKeys.map((key) => ({ ...key, digest: Buffer.from(key.sha256, 'hex') }));
  const jwt = privacy.auth.jwt;
  const hsKey = jwt?.hs256Secret === undefined ? undefined : new TextEncoder().encode(jwt.hs256Secret);
  const jwks: JWTVerifyGetKey | undefined = jwt?.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(jwt.jwksUrl));

  function byApiKey(presented: string): Principal | null {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    // Compare against every key, in constant time each, so timing does not tell which matched.
    let found: (typeof keys)[number] | undefined;
    for (const key of keys) if (timingSafeEqual(digest, key.digest)) found = key;
    return found === undefined ? null : principalFor(found.id, found.role, 'api-key', found.partner);
  }

  async function byJwt(token: string): Promise<Principal | null> {
    if (jwt === undefined) return null;
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      // Algorithms pinned per key: HS256 only with the shared secret, RS256 only with the JWKS (no `none`, no confusion).
      const options = {
        ...(jwt.issuer === undefined ? {} : { issuer: jwt.issuer }),
        ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
        requiredClaims: ['exp'],
        clockTolerance: jwt.clockToleranceSeconds,
      };
      if (alg === 'HS256' && hsKey !== undefined) payload = (await jwtVerify(token, hsKey, { ...options, algorithms: ['HS256'] })).payload;
      else if (alg === 'RS256' && jwks !== undefined) payload = (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256'] })).payload;
      else return null;
    } catch {
      return null;
    }
    if (!withinLifetime(payload, jwt.maxLifetimeSeconds, jwt.clockToleranceSeconds)) return null;
    const role = payload[jwt.roleClaim];
    if (typeof payload.sub !== 'string' || !isRole(role)) return null;
    if (role !== 'partner') return principalFor(payload.sub, role, 'jwt');
    const partner = payload[jwt.partnerClaim];
    if (typeof partner !== 'string' || !Object.hasOwn(privacy.partners, partner)) return null;
    return principalFor(payload.sub, role, 'jwt', partner);
  }

  return async ({ authorization, apiKey }) => {
    if (apiKey !== undefined && apiKey !== '') return byApiKey(apiKey);
    const match = /^Bearer ([\w.~+/=-]+)$/i.exec(authorization ?? '');
    if (match === null) return null;
    const token = match[1]!;
    return token.split('.').length === 3 ? byJwt(token) : byApiKey(token);
  };
}

/**
 * jose has checked `exp` (present, not past) and `nbf`; here: an `iat` no further ahead
 * than the leeway, and a lifetime (`exp` − `iat`, or `exp` − now without `iat`) no longer
 * than the configured maximum, so a token cannot be minted to live for years.
 */
export function withinLifetime(payload: JWTPayload, maxLifetimeSeconds: number, toleranceSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') return false;
  if (iat !== undefined && (typeof iat !== 'number' || iat > nowSeconds + toleranceSeconds)) return false;
  const issued = typeof iat === 'number' ? iat : nowSeconds;
  return exp - issued <= maxLifetimeSeconds + toleranceSeconds && exp - nowSeconds <= maxLifetimeSeconds + toleranceSeconds;
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as ReadonlyArray<string>).includes(value);
}

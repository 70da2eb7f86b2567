/** Authentication: hashed API keys, HS256 and RS256 (JWKS over HTTP) tokens, and what is refused. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { parseConfig } from '../../src/config/parse.js';
import type { PrivacyConfig } from '../../src/config/privacy-config.js';
import { createAuthenticator, sha256Hex } from '../../src/privacy/auth.js';
import { ConfigError } from '../../src/config/errors.js';

const HS_SECRET = 's'.repeat(40);
let jwksServer: Server;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let rsPrivate: PrivateKey;
let otherPrivate: PrivateKey;
let privacy: PrivacyConfig;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  rsPrivate = pair.privateKey;
  otherPrivate = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const port = (jwksServer.address() as AddressInfo).port;
  privacy = parseConfig({
    sources: {},
    entities: {},
    privacy: {
      auth: {
        apiKeys: [
          { id: 'desk', sha256: sha256Hex('agent-key-123'), role: 'agent' },
          { id: 'acme-key', sha256: sha256Hex('acme-key-456'), role: 'partner', partner: 'acme' },
        ],
        jwt: { issuer: 'https://idp.example', audience: 'c360', hs256Secret: HS_SECRET, jwksUrl: `http://127.0.0.1:${port}/jwks.json` },
      },
      partners: { acme: { pseudonymKey: 'p'.repeat(32), operations: {} } },
      auditKey: 'a'.repeat(32),
      audit: { store: 'memory' },
    },
  }).privacy!;
});

afterAll(async () => {
  await new Promise((resolve) => jwksServer.close(resolve));
});

function token(claims: Record<string, unknown>) {
  return new SignJWT(claims).setIssuer('https://idp.example').setAudience('c360').setSubject('user-1').setIssuedAt().setExpirationTime('5m');
}

describe('createAuthenticator', () => {
  it('maps an API key, sent either way, to its principal, and knows it only by its hash', async () => {
    const authenticate = createAuthenticator(privacy);
    expect(await authenticate({ apiKey: 'agent-key-123' })).toMatchObject({ id: 'desk', role: 'agent', via: 'api-key' });
    expect(await authenticate({ authorization: 'Bearer acme-key-456' })).toMatchObject({ id: 'acme-key', role: 'partner', partner: 'acme' });
    expect(JSON.stringify(privacy)).not.toContain('agent-key-123');
  });

  it('accepts HS256 and RS256 tokens with the role claim', async () => {
    const authenticate = createAuthenticator(privacy);
    const hs = await token({ c360_role: 'analyst' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(HS_SECRET));
    expect(await authenticate({ authorization: `Bearer ${hs}` })).toMatchObject({ id: 'user-1', role: 'analyst', via: 'jwt' });
    const rs = await token({ c360_role: 'partner', c360_partner: 'acme' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(rsPrivate);
    expect(await authenticate({ authorization: `Bearer ${rs}` })).toMatchObject({ role: 'partner', partner: 'acme' });
  });

  it('refuses, with the same null, a missing credential, a wrong key and every bad token', async () => {
    const authenticate = createAuthenticator(privacy);
    const hsKey = new TextEncoder().encode(HS_SECRET);
    const bad = [
      {},
      { apiKey: 'agent-key-124' },
      { authorization: 'Basic YWdlbnQ6a2V5' },
      {
        authorization: `Bearer ${await token({ c360_role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode('x'.repeat(40)))}`,
      },
      { authorization: `Bearer ${await token({ c360_role: 'admin' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(otherPrivate)}` },
      { authorization: `Bearer ${await token({ c360_role: 'root' }).setProtectedHeader({ alg: 'HS256' }).sign(hsKey)}` },
      { authorization: `Bearer ${await token({ c360_role: 'partner', c360_partner: 'globex' }).setProtectedHeader({ alg: 'HS256' }).sign(hsKey)}` },
      {
        authorization: `Bearer ${await token({ c360_role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(hsKey)}`,
      },
      {
        authorization: `Bearer ${await new SignJWT({ c360_role: 'admin' }).setSubject('u').setIssuer('https://evil').setAudience('c360').setProtectedHeader({ alg: 'HS256' }).sign(hsKey)}`,
      },
    ];
    for (const credentials of bad) expect(await authenticate(credentials)).toBeNull();
  });
});

describe('privacy config', () => {
  it('refuses a partner key for an undeclared partner and a key stored in clear', () => {
    expect(() =>
      parseConfig({
        sources: {},
        entities: {},
        privacy: { auth: { apiKeys: [{ id: 'x', sha256: 'plain-key', role: 'partner', partner: 'globex' }] }, auditKey: 'a'.repeat(32) },
      }),
    ).toThrow(ConfigError);
  });
});

describe('JWT lifetimes (issue 13, item 5)', () => {
  const hsKey = new TextEncoder().encode(HS_SECRET);
  const now = () => Math.floor(Date.now() / 1000);
  const signed = (build: SignJWT) => build.setProtectedHeader({ alg: 'HS256' }).sign(hsKey);
  const base = () => new SignJWT({ c360_role: 'admin' }).setIssuer('https://idp.example').setAudience('c360').setSubject('user-1');

  it('refuses a token without exp, one that lives longer than the maximum, and an iat a year ahead', async () => {
    const authenticate = createAuthenticator(privacy);
    const refused = [
      await signed(base().setIssuedAt()),
      await signed(base().setIssuedAt().setExpirationTime('30d')),
      await signed(base().setExpirationTime('2h')),
      await signed(
        base()
          .setIssuedAt(now() + 365 * 86_400)
          .setExpirationTime(now() + 365 * 86_400 + 300),
      ),
      await signed(
        base()
          .setIssuedAt(now() + 120)
          .setExpirationTime('10m'),
      ),
      await signed(
        base()
          .setIssuedAt()
          .setNotBefore(now() + 120)
          .setExpirationTime('10m'),
      ),
    ];
    for (const jwt of refused) expect(await authenticate({ authorization: `Bearer ${jwt}` })).toBeNull();
  });

  it('accepts iat and nbf a few seconds ahead (clock skew) and a lifetime at the maximum', async () => {
    const authenticate = createAuthenticator(privacy);
    const accepted = [
      await signed(
        base()
          .setIssuedAt(now() + 10)
          .setNotBefore(now() + 10)
          .setExpirationTime(now() + 600),
      ),
      await signed(base().setIssuedAt().setExpirationTime('1h')),
      await signed(base().setExpirationTime('59m')),
    ];
    for (const jwt of accepted) expect(await authenticate({ authorization: `Bearer ${jwt}` })).toMatchObject({ id: 'user-1', role: 'admin' });
  });

  it('refuses algorithms other than the pinned HS256 and RS256 (none, HS384)', async () => {
    const authenticate = createAuthenticator(privacy);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', c360_role: 'admin', exp: now() + 60, iss: 'https://idp.example', aud: 'c360' })).toString('base64url')}.`;
    expect(await authenticate({ authorization: `Bearer ${unsigned}` })).toBeNull();
    const hs384 = await base()
      .setIssuedAt()
      .setExpirationTime('5m')
      .setProtectedHeader({ alg: 'HS384' })
      .sign(new TextEncoder().encode(HS_SECRET.repeat(2)));
    expect(await authenticate({ authorization: `Bearer ${hs384}` })).toBeNull();
  });
});

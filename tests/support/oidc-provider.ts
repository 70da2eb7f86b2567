/**
 * A small OpenID Connect provider on 127.0.0.1 for the sign-in tests: discovery, an
 * authorization endpoint that signs the user in at once (as `subject`, with a c360 role
 * claim), a token endpoint that checks the PKCE verifier (S256) and answers an RS256 ID
 * token, and the JWKS c360 verifies it with. Real HTTP, real signatures (jose).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface OidcProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly jwksUrl: string;
  /** Code exchanges the token endpoint refused (a wrong verifier, an unknown code). */
  readonly refused: string[];
  stop(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcProvider(options: { subject: string; role: string; clientId?: string }): Promise<OidcProvider> {
  const clientId = options.clientId ?? 'c360-pages';
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const refused: string[] = [];
  let issuer = '';
  const cors = (res: ServerResponse): void => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, dpop');
  };
  const json = (res: ServerResponse, status: number, value: unknown): void => {
    cors(res);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      if (req.method === 'OPTIONS') {
        cors(res);
        res.writeHead(204).end();
      } else if (url.pathname === '/.well-known/openid-configuration') {
        json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      } else if (url.pathname === '/jwks') {
        json(res, 200, { keys: [jwk] });
      } else if (url.pathname === '/authorize') {
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        if (
          url.searchParams.get('client_id') !== clientId ||
          url.searchParams.get('code_challenge_method') !== 'S256' ||
          !url.searchParams.get('code_challenge')
        ) {
          res.writeHead(400).end('bad authorization request');
          return;
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, { challenge: url.searchParams.get('code_challenge')!, redirectUri });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        back.searchParams.set('iss', issuer);
        res.writeHead(302, { location: back.href }).end();
      } else if (url.pathname === '/token' && req.method === 'POST') {
        const form = await body(req);
        const grant = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (grant === undefined || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri') || form.get('client_id') !== clientId) {
          refused.push(form.get('code') ?? '');
          json(res, 400, { error: 'invalid_grant' });
          return;
        }
        codes.delete(form.get('code')!);
        const idToken = await new SignJWT({ c360_role: options.role })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setIssuer(issuer)
          .setAudience(clientId)
          .setSubject(options.subject)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey);
        json(res, 200, { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 600, id_token: idToken });
      } else {
        res.writeHead(404).end();
      }
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    jwksUrl: `${issuer}/jwks`,
    refused,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

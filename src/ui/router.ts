/**
 * The pages people open in a browser: the GraphQL explorer (GET /graphql asking for HTML),
 * the customer 360 page (/ui/) and the segments dashboard (/ui/segments). Everything they
 * load is served from this project and node_modules, so they work with no internet access.
 */
import { join } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { C360Config } from '../config/types.js';
import { projectRoot } from '../gateway/project.js';
import { VendorCache } from './vendor-cache.js';

/** Third-party browser builds, each a single UMD file served as it ships in node_modules. */
const VENDOR_FILES: Readonly<Record<string, string>> = {
  'react.production.min.js': 'react/umd/react.production.min.js',
  'react-dom.production.min.js': 'react-dom/umd/react-dom.production.min.js',
  'graphiql.min.js': 'graphiql/graphiql.min.js',
  'graphiql.min.css': 'graphiql/graphiql.min.css',
  'chart.umd.min.js': 'chart.js/dist/chart.umd.min.js',
  // The OpenID Connect client of the sign-in (authorization code + PKCE), an ES module.
  'oauth4webapi.js': 'oauth4webapi/build/index.js',
  // INSEE's NAF rév. 2 labels (every level, subclasses included), French: the company panel's activity in words.
  'naf-fr.json': '@socialgouv/codes-naf/index.json',
};

/** Vendor files change only with package.json: a day in the browser cache, then revalidated by ETag. */
const VENDOR_CACHE = 'public, max-age=86400';

/**
 * What the sign-in needs to know, and nothing secret: whether the server asks for a caller,
 * which credentials it takes, and the public OpenID Connect client when the config names one.
 */
export function signInOptions(config: C360Config | undefined): Record<string, unknown> {
  const auth = config?.privacy?.auth;
  return {
    required: config?.privacy !== undefined,
    apiKey: (auth?.apiKeys.length ?? 0) > 0,
    jwt: auth?.jwt !== undefined,
    oidc: config?.ui?.oidc ?? null,
  };
}

function vendorPath(file: string): string | undefined {
  const relative = VENDOR_FILES[file];
  // chart.js exports no package.json, so resolve from the project's node_modules directly.
  return relative === undefined ? undefined : join(projectRoot(), 'node_modules', relative);
}

/** A browser asking for a page says so in Accept; GraphQL clients (fetch, curl -d) do not. */
function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export function createUiRouter(config?: C360Config): Router {
  // Strict, so /ui and /ui/ are two routes: the first redirects to the second, whose relative links work.
  const router = express.Router({ strict: true });
  // gzip or brotli, as the browser asks (Accept-Encoding), for the pages and their scripts only:
  // GraphQL answers are left as they are.
  const compress = compression({ threshold: 1024 });
  const staticDir = join(projectRoot(), 'src', 'ui', 'static');
  const page = (name: string) => (_req: Request, res: Response) => {
    res.set('cache-control', 'no-cache');
    res.sendFile(join(staticDir, name));
  };
  const explorer = page('explorer.html');

  router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    // A GET with a query string is a GraphQL request over GET; leave it to Apollo.
    if (req.query.query === undefined && wantsHtml(req)) compress(req, res, () => explorer(req, res));
    else next();
  });
  router.get('/', (_req, res) => res.redirect(302, '/ui/'));
  router.get('/ui', (_req, res) => res.redirect(302, '/ui/'));
  router.use('/ui', compress);
  router.get('/ui/auth.json', (_req, res) => {
    res.set('cache-control', 'no-cache');
    res.json(signInOptions(config));
  });
  router.get('/ui/links.json', (_req, res) => {
    res.set('cache-control', 'no-cache');
    res.json(config?.ui?.sourceLinks ?? {});
  });
  router.get('/ui/', page('customer.html'));
  router.get('/ui/segments', page('segments.html'));
  // The analytics cube explorer (cube.html, cube.js): Query.analytics, issue 19.
  router.get('/ui/cube', page('cube.html'));
  const vendor = new VendorCache(VENDOR_CACHE);
  router.get('/ui/vendor/:file', (req: Request, res: Response, next: NextFunction) => {
    const path = vendorPath(String(req.params.file));
    if (path === undefined) {
      res.status(404).end();
      return;
    }
    vendor.send(req, res, path).catch(next);
  });
  // Revalidated on each load (ETag, 304 when unchanged), so an upgrade shows at once.
  router.use(
    '/ui/static',
    express.static(staticDir, { index: false, fallthrough: false, maxAge: 0, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }),
  );
  return router;
}

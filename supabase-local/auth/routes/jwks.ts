/**
 * GET /.well-known/jwks.json — the public halves of the project's asymmetric signing keys,
 * as GoTrue's `Jwks` handler serves them (the HS256 secret is never listed). Clients such as
 * auth-js `getClaims()` verify access tokens against it instead of calling GET /user.
 */
import type { RouteHandler } from '../route-result';

// GoTrue's header: edges and clients may keep the key set for ten minutes (auth-js's JWKS_TTL).
const JWKS_CACHE_CONTROL = 'public, max-age=600';

export const jwks: RouteHandler = async (_req, _url, deps) => ({
  status: 200,
  body: deps.jwtKeys.jwks,
  headers: { 'Cache-Control': JWKS_CACHE_CONTROL },
});

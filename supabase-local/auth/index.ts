/**
 * The Auth server under /auth/v1: a GoTrue-compatible subset for email + password
 * (sign-up, password and refresh-token grants, user, logout, settings, health, the JWKS), on the
 * auth.* tables of the baseline. Routes live in routes/, one per endpoint; this file only
 * dispatches and turns thrown `AuthError`s into GoTrue's error bodies.
 *
 * Known gaps against GoTrue: no phone, OTP, magic link, PKCE code exchange, OAuth, MFA,
 * PUT /user or admin API; refresh tokens are GoTrue's v1 12-character tokens only; amr
 * is always `password` (no auth.mfa_amr_claims table); signing up an existing but
 * unconfirmed email is refused instead of confirming it.
 */
import type { GatewayContext, GatewayService } from '../http/gateway-service';
import { sendJson } from '../http/json-response';
import { checkApikey } from './apikey-gate';
import { authDepsFromContext } from './auth-deps';
import { AuthError, sendAuthError } from './auth-errors';
import type { RouteHandler } from './route-result';
import { logout } from './routes/logout';
import { jwks } from './routes/jwks';
import { health, settings } from './routes/settings';
import { signup } from './routes/signup';
import { token } from './routes/token';
import { getUser } from './routes/user';

const ROUTES: Record<string, RouteHandler> = {
  'POST /signup': signup,
  'POST /token': token,
  'GET /user': getUser,
  'POST /logout': logout,
  'GET /settings': settings,
  'GET /health': health,
  'GET /.well-known/jwks.json': jwks,
};

// GoTrue serves these without an apikey behind Kong: the CLI's open auth routes, and the
// JWKS, which self-hosted Supabase's kong.yml routes without key-auth (`auth-v1-open-jwks`).
const OPEN_PATHS = new Set(['/health', '/settings', '/.well-known/jwks.json']);

export async function createAuthService(context: GatewayContext): Promise<GatewayService> {
  const deps = authDepsFromContext(context);
  return {
    async handleRequest({ req, res, path, url }) {
      const route = Object.hasOwn(ROUTES, `${req.method} ${path}`) ? ROUTES[`${req.method} ${path}`] : undefined;
      if (!OPEN_PATHS.has(path)) {
        const apikey = await checkApikey(req, url, context.keys, context.jwtKeys);
        if (!apikey.ok) {
          sendJson(res, 401, { message: apikey.message });
          return;
        }
      }
      try {
        if (!route) throw new AuthError(404, 'not_found', 'Not Found');
        const result = await route(req, url, deps);
        if (result.status === 204) {
          res.writeHead(204).end();
          return;
        }
        sendJson(res, result.status, result.body, result.headers);
      } catch (error) {
        if (error instanceof AuthError) {
          sendAuthError(req.headers, res, error);
          return;
        }
        context.log(`auth: ${req.method} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        sendAuthError(req.headers, res, new AuthError(500, 'unexpected_failure', 'Internal Server Error'));
      }
    },
    async close() {},
  };
}

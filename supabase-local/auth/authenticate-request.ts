/**
 * GoTrue's `requireAuthentication` (internal/api/auth.go): a Bearer token is required
 * (401 `no_authorization`), it must verify (403 `bad_jwt`), its `sub` must be an existing
 * user and its `session_id`, when present, an existing session (403 `session_not_found`).
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { verifyAccessToken, type BearerClaims } from './access-token';
import { AuthError, badRequest, forbidden } from './auth-errors';
import type { AuthDeps } from './auth-deps';
import { findSession, type SessionRow } from './session-queries';
import { findUserById, isBanned } from './user-queries';
import type { UserRow } from './user-shape';

// GoTrue's bearerRegexp.
const BEARER_PATTERN = /^[Bb]earer (\S+)$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const uuidSchema = z.string().uuid();

export type Authenticated = { claims: BearerClaims; user: UserRow; session: SessionRow | null };

export async function authenticateRequest(req: IncomingMessage, deps: AuthDeps): Promise<Authenticated> {
  const match = BEARER_PATTERN.exec(req.headers.authorization ?? '');
  const token = match?.[1];
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');

  const verified = await verifyAccessToken(token, deps.jwtKeys, deps.now());
  if (!verified.ok) throw verified.error;
  const { claims } = verified;

  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!uuidSchema.safeParse(claims.sub).success) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(deps.pool, claims.sub);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');

  let session: SessionRow | null = null;
  if (claims.session_id && claims.session_id !== NIL_UUID) {
    if (!uuidSchema.safeParse(claims.session_id).success) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    session = (await findSession(deps.pool, claims.session_id)) ?? null;
    if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  if (isBanned(user, deps.now())) throw forbidden('user_banned', 'User is banned');
  return { claims, user, session };
}

/**
 * grant_type=refresh_token — GoTrue's v1 refresh-token rotation
 * (internal/tokens/service.go `RefreshTokenGrant`), under row locks so concurrent
 * refreshes of one token serialise:
 * - a live token is revoked and a child issued (`parent` = the old token);
 * - a revoked token whose child is the session's live token gets that live token back
 *   (the client lost the previous response), whatever its age;
 * - any other revoked token is exchanged again only within `refresh_token_reuse_interval`
 *   seconds of its revocation; after that it is `refresh_token_already_used` and, with
 *   rotation on, every live token of the session is revoked (committed before the error).
 */
import { z } from 'zod';
import { AuthError, badRequest } from '../auth-errors';
import { requestFacts } from '../auth-deps';
import { readJsonBody } from '../request-body';
import type { RouteHandler } from '../route-result';
import {
  deleteRefreshToken,
  findActiveRefreshToken,
  findRefreshToken,
  findSession,
  insertRefreshToken,
  markSessionRefreshed,
  REFRESH_TOKEN_PATTERN,
  revokeRefreshToken,
  revokeSessionRefreshTokens,
} from '../session-queries';
import { sessionResponse, type SessionResponse } from '../session-tokens';
import { withTransaction } from '../transaction';
import { findUserById, isBanned, touchLastSignIn } from '../user-queries';

const refreshBodySchema = z.object({ refresh_token: z.string().optional().default('') });

type Outcome = { ok: true; session: SessionResponse } | { ok: false; error: AuthError };

export const refreshTokenGrant: RouteHandler = async (req, _url, deps) => {
  const body = await readJsonBody(req, refreshBodySchema);
  if (!REFRESH_TOKEN_PATTERN.test(body.refresh_token)) throw badRequest('validation_failed', 'Refresh token is not valid');
  const facts = requestFacts(req);

  const outcome = await withTransaction(deps.pool, async (db): Promise<Outcome> => {
    const now = deps.now();
    const token = await findRefreshToken(db, body.refresh_token, true);
    if (!token) return { ok: false, error: badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found') };
    const user = await findUserById(db, token.user_id);
    if (!user) return { ok: false, error: badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found') };
    if (isBanned(user, now)) return { ok: false, error: badRequest('user_banned', 'Invalid Refresh Token: User Banned') };
    const session = token.session_id ? await findSession(db, token.session_id, true) : undefined;
    if (!session) {
      await deleteRefreshToken(db, token.id);
      return { ok: false, error: badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found') };
    }

    let issued: string | undefined;
    if (token.revoked) {
      const active = await findActiveRefreshToken(db, session.id);
      if (active && active.parent === token.token) {
        issued = active.token;
      } else {
        const reuseUntilMs = token.updated_at.getTime() + deps.refreshTokenReuseIntervalS * 1000;
        if (now.getTime() > reuseUntilMs) {
          if (deps.refreshTokenRotation) await revokeSessionRefreshTokens(db, session.id, now);
          return { ok: false, error: badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used') };
        }
      }
    }
    let freshUser = user;
    if (issued === undefined) {
      await revokeRefreshToken(db, token.id, now);
      issued = (await insertRefreshToken(db, { userId: user.id, sessionId: session.id, parent: token.token }, now)).token;
      freshUser = await touchLastSignIn(db, user.id, now);
    }
    await markSessionRefreshed(db, session.id, now);
    return { ok: true, session: await sessionResponse(db, deps, facts, freshUser, session, issued) };
  });

  if (!outcome.ok) throw outcome.error;
  return { status: 200, body: outcome.session };
};

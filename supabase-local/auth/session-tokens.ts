/**
 * Issues sessions: a new auth.sessions row with its first refresh token (sign-in, sign-up)
 * and the access-token response GoTrue sends (tokens/service.go `AccessTokenResponse`).
 */
import { mintAccessToken } from './access-token';
import type { AuthDeps, RequestFacts } from './auth-deps';
import { insertRefreshToken, insertSession, type SessionRow } from './session-queries';
import type { Queryable } from './transaction';
import { findIdentities } from './user-queries';
import { touchLastSignIn } from './user-queries';
import { userJson, type UserJson, type UserRow } from './user-shape';

export type SessionResponse = {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: UserJson;
};

/** Builds the response for a session and refresh token; the user row should be fresh. */
export async function sessionResponse(
  db: Queryable,
  deps: AuthDeps,
  facts: RequestFacts,
  user: UserRow,
  session: SessionRow,
  refreshToken: string,
): Promise<SessionResponse> {
  const { token, expiresAt } = await mintAccessToken({
    user,
    sessionId: session.id,
    // Without auth.mfa_amr_claims the session's one method is its password sign-in.
    amr: [{ method: 'password', timestamp: Math.floor(session.created_at.getTime() / 1000) }],
    issuer: facts.issuer,
    signingKey: deps.jwtKeys.signing,
    lifetimeS: deps.jwtExpiryS,
    now: deps.now(),
  });
  const identities = await findIdentities(db, user.id);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: deps.jwtExpiryS,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user, identities),
  };
}

/** GoTrue's `IssueRefreshToken` for a password sign-in or sign-up. */
export async function issueSession(db: Queryable, deps: AuthDeps, facts: RequestFacts, userId: string): Promise<SessionResponse> {
  const now = deps.now();
  const session = await insertSession(db, userId, facts.origin, now);
  const refreshToken = await insertRefreshToken(db, { userId, sessionId: session.id, parent: null }, now);
  const user = await touchLastSignIn(db, userId, now);
  return sessionResponse(db, deps, facts, user, session, refreshToken.token);
}

/**
 * auth.sessions and auth.refresh_tokens, as GoTrue's models/sessions.go and
 * refresh_token.go use them: one session per sign-in, a chain of refresh tokens per
 * session linked by `parent`, at most one of them unrevoked.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from './transaction';

// GoTrue's v1 refresh tokens: 12 characters of [a-z0-9] (crypto.SecureAlphanumeric(12)).
const REFRESH_TOKEN_LENGTH = 12;
const REFRESH_TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const REFRESH_TOKEN_PATTERN = /^[a-z0-9]{12}$/;

export function newRefreshTokenString(): string {
  let token = '';
  for (let i = 0; i < REFRESH_TOKEN_LENGTH; i++) token += REFRESH_TOKEN_ALPHABET[randomInt(REFRESH_TOKEN_ALPHABET.length)];
  return token;
}

const sessionRowSchema = z.object({ id: z.string().uuid(), user_id: z.string().uuid(), created_at: z.date() });
export type SessionRow = z.infer<typeof sessionRowSchema>;

const refreshTokenRowSchema = z.object({
  id: z.coerce.number().int(),
  token: z.string(),
  user_id: z.string(),
  revoked: z.boolean().nullable(),
  updated_at: z.date(),
  parent: z.string().nullable(),
  session_id: z.string().uuid().nullable(),
});
export type RefreshTokenRow = z.infer<typeof refreshTokenRowSchema>;

const TOKEN_COLUMNS = 'id, token, user_id, revoked, updated_at, parent, session_id';

export type SessionOrigin = { userAgent: string | null; ip: string | null };

export async function insertSession(db: Queryable, userId: string, origin: SessionOrigin, now: Date): Promise<SessionRow> {
  const { rows } = await db.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, $3, $3, 'aal1', $4, $5::inet) returning id, user_id, created_at`,
    [randomUUID(), userId, now, origin.userAgent, origin.ip],
  );
  return sessionRowSchema.parse(rows[0]);
}

export async function findSession(db: Queryable, sessionId: string, forUpdate = false): Promise<SessionRow | undefined> {
  const { rows } = await db.query(`select id, user_id, created_at from auth.sessions where id = $1${forUpdate ? ' for update' : ''}`, [sessionId]);
  return rows[0] === undefined ? undefined : sessionRowSchema.parse(rows[0]);
}

/** Marks a session refreshed (`refreshed_at` is `timestamp` without zone in GoTrue's schema: UTC). */
export async function markSessionRefreshed(db: Queryable, sessionId: string, now: Date): Promise<void> {
  await db.query(`update auth.sessions set refreshed_at = ($2::timestamptz at time zone 'utc'), updated_at = $2 where id = $1`, [sessionId, now]);
}

export async function insertRefreshToken(
  db: Queryable,
  token: { userId: string; sessionId: string; parent: string | null },
  now: Date,
): Promise<RefreshTokenRow> {
  const { rows } = await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, $3, $3, $4, $5) returning ${TOKEN_COLUMNS}`,
    [newRefreshTokenString(), token.userId, now, token.parent, token.sessionId],
  );
  return refreshTokenRowSchema.parse(rows[0]);
}

export async function findRefreshToken(db: Queryable, token: string, forUpdate = false): Promise<RefreshTokenRow | undefined> {
  const { rows } = await db.query(`select ${TOKEN_COLUMNS} from auth.refresh_tokens where token = $1${forUpdate ? ' for update' : ''}`, [token]);
  return rows[0] === undefined ? undefined : refreshTokenRowSchema.parse(rows[0]);
}

/** GoTrue's `FindCurrentlyActiveRefreshToken`: the newest unrevoked token of the session. */
export async function findActiveRefreshToken(db: Queryable, sessionId: string): Promise<RefreshTokenRow | undefined> {
  const { rows } = await db.query(
    `select ${TOKEN_COLUMNS} from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1`,
    [sessionId],
  );
  return rows[0] === undefined ? undefined : refreshTokenRowSchema.parse(rows[0]);
}

/** Revocation time is `updated_at`: the reuse interval is measured from it. */
export async function revokeRefreshToken(db: Queryable, tokenId: number, now: Date): Promise<void> {
  await db.query(`update auth.refresh_tokens set revoked = true, updated_at = $2 where id = $1`, [tokenId, now]);
}

/** GoTrue's `RevokeTokenFamily` for tokens with a session: every live token of the session. */
export async function revokeSessionRefreshTokens(db: Queryable, sessionId: string, now: Date): Promise<void> {
  await db.query(`update auth.refresh_tokens set revoked = true, updated_at = $2 where session_id = $1 and revoked = false`, [sessionId, now]);
}

export async function deleteRefreshToken(db: Queryable, tokenId: number): Promise<void> {
  await db.query(`delete from auth.refresh_tokens where id = $1`, [tokenId]);
}

/** Sign-out. Deleting sessions deletes their refresh tokens (on delete cascade). */
export type LogoutScope = 'global' | 'local' | 'others';

export async function deleteSessions(db: Queryable, scope: LogoutScope, userId: string, sessionId: string | null): Promise<void> {
  if (scope === 'local' && sessionId) {
    await db.query(`delete from auth.sessions where id = $1`, [sessionId]);
  } else if (scope === 'others' && sessionId) {
    await db.query(`delete from auth.sessions where user_id = $1 and id <> $2`, [userId, sessionId]);
  } else {
    await db.query(`delete from auth.sessions where user_id = $1`, [userId]);
  }
}

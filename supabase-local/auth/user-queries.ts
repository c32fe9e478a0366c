/**
 * The auth.users / auth.identities statements the routes need, all parameterised. Rows
 * are parsed with zod on the way out of Postgres.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './transaction';
import { IDENTITY_COLUMNS, identityRowSchema, USER_COLUMNS, userRowSchema, type IdentityRow, type UserRow } from './user-shape';

// The audience and database role GoTrue gives users (GOTRUE_JWT_AUD / DEFAULT_GROUP_NAME in the CLI).
export const AUTHENTICATED_AUD = 'authenticated';
export const AUTHENTICATED_ROLE = 'authenticated';
// GoTrue writes the nil UUID as instance_id (a leftover of its multi-tenant days).
const NIL_INSTANCE_ID = '00000000-0000-0000-0000-000000000000';

function oneUser(rows: unknown[]): UserRow | undefined {
  return rows[0] === undefined ? undefined : userRowSchema.parse(rows[0]);
}

/** GoTrue's `FindUserByEmailAndAudience`: case-insensitive, SSO users excluded. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query(
    `select ${USER_COLUMNS} from auth.users where lower(email) = lower($1) and aud = $2 and is_sso_user = false limit 1`,
    [email, AUTHENTICATED_AUD],
  );
  return oneUser(rows);
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query(`select ${USER_COLUMNS} from auth.users where id = $1`, [id]);
  return oneUser(rows);
}

export async function findIdentities(db: Queryable, userId: string): Promise<IdentityRow[]> {
  const { rows } = await db.query(`select ${IDENTITY_COLUMNS} from auth.identities where user_id = $1 order by created_at, id`, [userId]);
  return rows.map((row) => identityRowSchema.parse(row));
}

export type NewEmailUser = { email: string; passwordHash: string; data: Record<string, unknown>; now: Date };

/**
 * Creates a confirmed email user and its `email` identity, as GoTrue's sign-up does with
 * autoconfirm on: identity_data `{sub, email, email_verified, phone_verified}` plus the
 * sign-up data, and the same claims merged into user_metadata on confirmation.
 */
export async function insertConfirmedEmailUser(db: Queryable, user: NewEmailUser): Promise<{ user: UserRow; identity: IdentityRow }> {
  const id = randomUUID();
  const verified = { sub: id, email: user.email, email_verified: true, phone_verified: false };
  const identityData = { ...user.data, ...verified };
  const userMetadata = { ...user.data, ...verified };
  const appMetadata = { provider: 'email', providers: ['email'] };
  const inserted = await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       confirmation_token, recovery_token, email_change_token_new, email_change,
       raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_sso_user, is_anonymous)
     values ($1, $2, $3, $4, $5, $6, $7, '', '', '', '', $8::jsonb, $9::jsonb, false, $7, $7, false, false)
     returning ${USER_COLUMNS}`,
    [NIL_INSTANCE_ID, id, AUTHENTICATED_AUD, AUTHENTICATED_ROLE, user.email, user.passwordHash, user.now, JSON.stringify(appMetadata), JSON.stringify(userMetadata)],
  );
  const identity = await db.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2::text, $2::uuid, $3::jsonb, 'email', $4, $4, $4)
     returning ${IDENTITY_COLUMNS}`,
    [randomUUID(), id, JSON.stringify(identityData), user.now],
  );
  return { user: userRowSchema.parse(inserted.rows[0]), identity: identityRowSchema.parse(identity.rows[0]) };
}

/** GoTrue's `UpdateLastSignInAt`, done whenever it issues a refresh token. */
export async function touchLastSignIn(db: Queryable, userId: string, now: Date): Promise<UserRow> {
  const { rows } = await db.query(`update auth.users set last_sign_in_at = $2, updated_at = $2 where id = $1 returning ${USER_COLUMNS}`, [userId, now]);
  const user = oneUser(rows);
  if (!user) throw new Error(`user ${userId} vanished while signing in`);
  return user;
}

export function isBanned(user: UserRow, now: Date): boolean {
  return user.banned_until !== null && user.banned_until > now;
}

/**
 * auth.users / auth.identities rows as read from Postgres (parsed with zod) and the JSON
 * GoTrue sends for them (internal/models/user.go and identity.go JSON tags: optional
 * timestamps are omitted when null, `confirmed_at` is least(email, phone confirmation)).
 */
import { z } from 'zod';

const metadata = z.record(z.string(), z.unknown());

export const userRowSchema = z.object({
  id: z.string().uuid(),
  aud: z.string().nullable(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  encrypted_password: z.string().nullable(),
  email_confirmed_at: z.date().nullable(),
  invited_at: z.date().nullable(),
  phone: z.string().nullable(),
  phone_confirmed_at: z.date().nullable(),
  confirmation_sent_at: z.date().nullable(),
  recovery_sent_at: z.date().nullable(),
  email_change: z.string().nullable(),
  email_change_sent_at: z.date().nullable(),
  last_sign_in_at: z.date().nullable(),
  raw_app_meta_data: metadata.nullable(),
  raw_user_meta_data: metadata.nullable(),
  created_at: z.date().nullable(),
  updated_at: z.date().nullable(),
  banned_until: z.date().nullable(),
  deleted_at: z.date().nullable(),
  is_anonymous: z.boolean(),
});
export type UserRow = z.infer<typeof userRowSchema>;

/** The column list matching `userRowSchema`, for `select … from auth.users`. */
export const USER_COLUMNS = Object.keys(userRowSchema.shape).join(', ');

export const identityRowSchema = z.object({
  id: z.string().uuid(),
  provider_id: z.string(),
  user_id: z.string().uuid(),
  identity_data: metadata,
  provider: z.string(),
  last_sign_in_at: z.date().nullable(),
  created_at: z.date().nullable(),
  updated_at: z.date().nullable(),
  email: z.string().nullable(),
});
export type IdentityRow = z.infer<typeof identityRowSchema>;

export const IDENTITY_COLUMNS = Object.keys(identityRowSchema.shape).join(', ');

/** GoTrue marshals times as RFC 3339 with fractional seconds. */
function time(value: Date | null): string | undefined {
  return value ? value.toISOString() : undefined;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

export function identityJson(row: IdentityRow) {
  return dropUndefined({
    identity_id: row.id,
    id: row.provider_id,
    user_id: row.user_id,
    identity_data: row.identity_data,
    provider: row.provider,
    last_sign_in_at: time(row.last_sign_in_at),
    created_at: time(row.created_at) ?? '',
    updated_at: time(row.updated_at) ?? '',
    email: row.email ?? undefined,
  });
}

export function userJson(row: UserRow, identities: readonly IdentityRow[]) {
  return dropUndefined({
    id: row.id,
    aud: row.aud ?? '',
    role: row.role ?? '',
    email: row.email ?? '',
    email_confirmed_at: time(row.email_confirmed_at),
    invited_at: time(row.invited_at),
    phone: row.phone ?? '',
    phone_confirmed_at: time(row.phone_confirmed_at),
    confirmation_sent_at: time(row.confirmation_sent_at),
    confirmed_at: time(earliest(row.email_confirmed_at, row.phone_confirmed_at)),
    recovery_sent_at: time(row.recovery_sent_at),
    new_email: row.email_change || undefined,
    email_change_sent_at: time(row.email_change_sent_at),
    last_sign_in_at: time(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: time(row.created_at) ?? '',
    updated_at: time(row.updated_at) ?? '',
    banned_until: time(row.banned_until),
    deleted_at: time(row.deleted_at),
    is_anonymous: row.is_anonymous,
  });
}

export type UserJson = ReturnType<typeof userJson>;

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Verifies a project JWT as PostgREST and Realtime do: HS256 with the stack's secret, or
 * ES256 with the published signing key its `kid` names (see jwt-keys.ts). Returns a
 * discriminated result so each server maps failures to its own error shape.
 */
import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { JwtKeys } from './jwt-keys';

// Claims every server here relies on; the rest pass through untouched.
const claimsSchema = z
  .object({
    role: z.string().min(1),
    exp: z.number().int(),
    sub: z.string().optional(),
    email: z.string().optional(),
    session_id: z.string().optional(),
  })
  .passthrough();

export type JwtClaims = z.infer<typeof claimsSchema>;

export type JwtVerification =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: 'expired' | 'invalid' | 'missing_claims'; message: string };

export async function verifyProjectJwt(token: string, keys: JwtKeys, now: Date = new Date()): Promise<JwtVerification> {
  try {
    const { payload } = await jwtVerify(token, keys.verificationKey, {
      algorithms: [...keys.algorithms],
      currentDate: now,
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'missing_claims', message: 'Fields `role` and `exp` are required in JWT' };
    return { ok: true, claims: claims.data };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired', message: 'JWT expired' };
    return { ok: false, reason: 'invalid', message: error instanceof Error ? error.message : 'invalid JWT' };
  }
}

/**
 * Who a channel acts as: the verified JWT's role and claims, as Realtime uses them for RLS
 * checks (`set role`, `request.jwt.claims`).
 */
import type { JwtClaims, JwtVerification } from '../keys/verify-jwt';

export type ChannelAuth = { role: string; claims: JwtClaims; token: string };

export type TokenVerifier = (token: string) => Promise<JwtVerification>;

/** Opaque `sb_…` keys are not JWTs; Realtime ignores them and keeps the previous token. */
export function isOpaqueKey(token: string): boolean {
  return token.startsWith('sb_');
}

export function expiredMessage(verification: Extract<JwtVerification, { ok: false }>): string {
  return verification.reason === 'expired' ? 'Token has expired' : `Invalid token: ${verification.message}`;
}

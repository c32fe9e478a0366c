/**
 * Remembers which JWTs already passed signature and claims checks, so a client sending the
 * same apikey and access token on every request pays one signature check (HMAC or ECDSA) per
 * token, not two per request. Only successes are kept, keyed by the exact token string; a hit is
 * re-checked against the clock (`exp`, and `nbf` when present) exactly as jose checks them,
 * and a token past its `exp` goes back through full verification, which reports the expiry
 * as before. Bounded: the least recently used token is forgotten first.
 */
import type { JwtKeys } from '../keys/jwt-keys';
import { verifyProjectJwt, type JwtClaims, type JwtVerification } from '../keys/verify-jwt';

// Tokens kept: one signed-in session each plus the project's API keys; a school's staff
// fit many times over, and a full cache costs well under a few MB of claims.
export const VERIFIED_TOKENS_MAX = 4_096;

export type VerifyJwt = (token: string, now: Date) => Promise<JwtVerification>;

function stillValid(claims: JwtClaims, now: Date): boolean {
  // jose: `exp <= now` is expired and `nbf > now` is not yet valid, both in whole seconds.
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const nbf = claims['nbf'];
  if (nbf !== undefined && !(typeof nbf === 'number' && nbf <= nowSeconds)) return false;
  return claims.exp > nowSeconds;
}

export class VerifiedTokenCache {
  // Map iteration order is insertion order: re-inserting on a hit keeps the oldest first.
  private readonly verified = new Map<string, JwtClaims>();

  constructor(
    private readonly jwtKeys: JwtKeys,
    private readonly maxEntries: number = VERIFIED_TOKENS_MAX,
    private readonly verifyFully: typeof verifyProjectJwt = verifyProjectJwt,
  ) {}

  readonly verify: VerifyJwt = async (token, now) => {
    const known = this.verified.get(token);
    if (known !== undefined) {
      this.verified.delete(token);
      if (stillValid(known, now)) {
        this.verified.set(token, known);
        return { ok: true, claims: known };
      }
    }
    const result = await this.verifyFully(token, this.jwtKeys, now);
    if (result.ok) {
      this.verified.set(token, Object.freeze(result.claims));
      if (this.verified.size > this.maxEntries) this.verified.delete(this.verified.keys().next().value!);
    }
    return result;
  };

  get size(): number {
    return this.verified.size;
  }
}

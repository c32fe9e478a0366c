/**
 * Access tokens as GoTrue mints them (internal/tokens/service.go `GenerateAccessToken`,
 * `AccessTokenClaims`) for a project with an asymmetric signing key: ES256 with header
 * `{alg, kid, typ}`, so clients verify them against the JWKS without asking us. Verification
 * is `requireAuthentication`'s: the ES256 key by `kid` or the HS256 secret, with GoTrue's
 * error messages (golang-jwt v5 wording).
 */
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { KeyLookupError, type JwtKeys, type SigningKey } from '../keys/jwt-keys';
import { forbidden, type AuthError } from './auth-errors';
import type { UserRow } from './user-shape';

export type AmrEntry = { method: string; timestamp: number };

export type MintAccessToken = {
  user: UserRow;
  sessionId: string;
  amr: AmrEntry[];
  issuer: string;
  signingKey: SigningKey;
  lifetimeS: number;
  now: Date;
};

export async function mintAccessToken(params: MintAccessToken): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(params.now.getTime() / 1000);
  const expiresAt = iat + params.lifetimeS;
  const { user } = params;
  const token = await new SignJWT({
    iss: params.issuer,
    sub: user.id,
    aud: user.aud ?? '',
    exp: expiresAt,
    iat,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? '',
    aal: 'aal1',
    amr: params.amr,
    session_id: params.sessionId,
    is_anonymous: user.is_anonymous,
  })
    // GoTrue's `signJwt` adds the signing key's kid; golang-jwt writes alg, kid, typ.
    .setProtectedHeader({ alg: 'ES256', kid: params.signingKey.kid, typ: 'JWT' })
    .sign(params.signingKey.privateKey);
  return { token, expiresAt };
}

/** The claims `requireAuthentication` reads; everything else passes through. */
const bearerClaimsSchema = z
  .object({
    sub: z.string().optional(),
    session_id: z.string().optional(),
    role: z.string().optional(),
    is_anonymous: z.boolean().optional(),
  })
  .passthrough();
export type BearerClaims = z.infer<typeof bearerClaimsSchema>;

const BAD_JWT_PREFIX = 'invalid JWT: unable to parse or verify signature, ';

function headerAlg(token: string): string {
  try {
    return decodeProtectedHeader(token).alg ?? '';
  } catch {
    return '';
  }
}

function keyLookupReason(error: KeyLookupError): string {
  switch (error.reason) {
    case 'invalid_kid':
      return `token is unverifiable: error while executing keyfunc: invalid kid: ${error.header.kid}`;
    case 'missing_kid':
      return 'token is unverifiable: error while executing keyfunc: missing kid';
    case 'wrong_key_type':
      // golang-jwt hands the named key to the header's method, which refuses its type.
      return error.header.alg === 'HS256'
        ? 'token signature is invalid: key is of invalid type: HMAC verify expects []byte'
        : 'token signature is invalid: key is of invalid type';
  }
}

function goJwtReason(error: unknown, token: string): string {
  if (error instanceof KeyLookupError) return keyLookupReason(error);
  if (error instanceof errors.JWTExpired) return 'token has invalid claims: token is expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token has invalid claims: ${error.message}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    // golang-jwt's ECDSA method reports its own error; HMAC reports ErrSignatureInvalid.
    return headerAlg(token) === 'ES256' ? 'token signature is invalid: crypto/ecdsa: verification error' : 'token signature is invalid: signature is invalid';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `token signature is invalid: signing method ${headerAlg(token)} is invalid`;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return `token is malformed: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export async function verifyAccessToken(
  token: string,
  keys: JwtKeys,
  now: Date,
): Promise<{ ok: true; claims: BearerClaims } | { ok: false; error: AuthError }> {
  try {
    const { payload } = await jwtVerify(token, keys.verificationKey, { algorithms: [...keys.algorithms], currentDate: now });
    const claims = bearerClaimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, error: forbidden('bad_jwt', `${BAD_JWT_PREFIX}token has invalid claims: ${claims.error.issues[0]?.message ?? 'bad claims'}`) };
    return { ok: true, claims: claims.data };
  } catch (error) {
    return { ok: false, error: forbidden('bad_jwt', BAD_JWT_PREFIX + goJwtReason(error, token)) };
  }
}

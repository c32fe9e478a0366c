/**
 * JWT keys for pure tests: the HS256 secret the test signs its tokens with, plus a freshly
 * generated ES256 signing key (its `signing` half lets a test mint ES256 tokens too).
 */
import { importJwtKeys, type JwtKeys } from '../jwt-keys';
import { generateSigningJwk, type SigningJwk } from '../signing-key';

export async function testJwtKeys(jwtSecret: string, signingKey?: SigningJwk): Promise<JwtKeys> {
  return importJwtKeys({ jwtSecret, signingKey: signingKey ?? (await generateSigningJwk()) });
}

/**
 * The project's asymmetric JWT signing key: one ES256 (P-256) key pair, kept as a private
 * JWK shaped like the ones `supabase gen signing-key --algorithm ES256` writes (kid a uuid,
 * `use: sig`, `key_ops: [sign, verify]`, `ext: true`), so the stack signs user sessions the
 * way a hosted project with JWT signing keys does.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';

// A P-256 coordinate or scalar is 32 bytes: 43 base64url characters without padding.
const p256Field = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url P-256 field');

export const signingJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  alg: z.literal('ES256'),
  kid: z.string().uuid(),
  use: z.literal('sig'),
  key_ops: z.tuple([z.literal('sign'), z.literal('verify')]),
  ext: z.literal(true),
  x: p256Field,
  y: p256Field,
  d: p256Field,
});
export type SigningJwk = z.infer<typeof signingJwkSchema>;

/** What GoTrue publishes for a key (conf/jwk.go): every field but `d`, with `key_ops` cut to verify. */
export type PublicSigningJwk = Omit<SigningJwk, 'd' | 'key_ops'> & { key_ops: ['verify'] };

export async function generateSigningJwk(): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { x, y, d } = await exportJWK(privateKey);
  return signingJwkSchema.parse({
    kty: 'EC',
    crv: 'P-256',
    alg: 'ES256',
    kid: randomUUID(),
    use: 'sig',
    key_ops: ['sign', 'verify'],
    ext: true,
    x,
    y,
    d,
  });
}

export function publicJwkOf(jwk: SigningJwk): PublicSigningJwk {
  // Field by field, not by deleting `d` from a copy: nothing private can ride along.
  return { alg: jwk.alg, crv: jwk.crv, ext: jwk.ext, key_ops: ['verify'], kid: jwk.kid, kty: jwk.kty, use: jwk.use, x: jwk.x, y: jwk.y };
}

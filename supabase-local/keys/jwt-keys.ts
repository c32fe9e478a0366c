/**
 * The project's JWT keys, imported once at stack start and shared by every server: the
 * HS256 secret (API keys, tokens issued before the signing key existed, tokens tests mint)
 * and the ES256 signing key (user sessions), its public half published as the JWKS.
 *
 * `verificationKey` picks the key for a token as GoTrue's `parseJWTClaims` does with a
 * signing key and the legacy secret configured: a `kid` must name a published key, and only
 * an HS256 token may go without one (it is checked with the secret). Algorithms outside
 * JWT_ALGORITHMS (`none`, RS256, …) are refused by jose before a key is looked up.
 */
import type { CompactJWSHeaderParameters } from 'jose';
import { publicJwkOf, type PublicSigningJwk, type SigningJwk } from './signing-key';

// GoTrue's ValidMethods for a project with an ES256 signing key and the legacy secret.
export const JWT_ALGORITHMS: readonly string[] = ['ES256', 'HS256'];

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;

export type KeyLookupFailure = 'invalid_kid' | 'missing_kid' | 'wrong_key_type';

/** Thrown from the key resolver; jose passes it through `jwtVerify` unchanged. */
export class KeyLookupError extends Error {
  constructor(
    readonly reason: KeyLookupFailure,
    readonly header: { alg: string; kid?: string },
  ) {
    // PostgREST's wording for a token no configured key can verify (its `KeyError`).
    super('No suitable key or wrong key type');
    this.name = 'KeyLookupError';
  }
}

export type SigningKey = { readonly kid: string; readonly privateKey: CryptoKey };

export type JwksDocument = { readonly keys: readonly PublicSigningJwk[] };

export type JwtKeys = {
  readonly algorithms: readonly string[];
  /** A jose `JWTVerifyGetKey`: the key that must have signed a token with this header. */
  verificationKey(header: CompactJWSHeaderParameters): CryptoKey;
  /** The key user access tokens are signed with. */
  readonly signing: SigningKey;
  /** What `GET /auth/v1/.well-known/jwks.json` serves: public halves only, never the secret. */
  readonly jwks: JwksDocument;
};

export async function importJwtKeys(source: { jwtSecret: string; signingKey: SigningJwk }): Promise<JwtKeys> {
  // WebCrypto keys, imported once: jose uses them as they are, with no per-token import.
  const { subtle } = globalThis.crypto;
  const jwk = source.signingKey;
  const secret = await subtle.importKey('raw', new TextEncoder().encode(source.jwtSecret), HMAC_SHA256, false, ['verify']);
  const privateKey = await subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }, P256, false, ['sign']);
  const publicKey = await subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, P256, false, ['verify']);
  const publicKeys = new Map<string, { alg: string; key: CryptoKey }>([[jwk.kid, { alg: jwk.alg, key: publicKey }]]);

  return {
    algorithms: JWT_ALGORITHMS,
    verificationKey(header) {
      const kid = typeof header.kid === 'string' ? header.kid : undefined;
      if (kid !== undefined) {
        const published = publicKeys.get(kid);
        if (!published) throw new KeyLookupError('invalid_kid', { alg: header.alg, kid });
        if (published.alg !== header.alg) throw new KeyLookupError('wrong_key_type', { alg: header.alg, kid });
        return published.key;
      }
      if (header.alg === 'HS256') return secret;
      throw new KeyLookupError('missing_kid', { alg: header.alg });
    },
    signing: { kid: jwk.kid, privateKey },
    jwks: Object.freeze({ keys: Object.freeze([Object.freeze(publicJwkOf(jwk))]) }),
  };
}

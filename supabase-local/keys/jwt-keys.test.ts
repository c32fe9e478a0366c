/**
 * Which tokens the project's keys accept: HS256 with the secret (no kid), ES256 with the
 * published key its kid names; an unknown kid, a missing kid on ES256, a kid on HS256, a
 * foreign key reusing our kid and unsecured tokens are all refused.
 */
import { generateKeyPair, importJWK, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JwtKeys } from './jwt-keys';
import { generateSigningJwk, signingJwkSchema, type SigningJwk } from './signing-key';
import { testJwtKeys } from './testing/test-jwt-keys';
import { verifyProjectJwt } from './verify-jwt';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const NOW = new Date('2026-01-01T00:00:00Z');
const EXP = Math.floor(NOW.getTime() / 1000) + 3600;
const CLAIMS = { role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001', exp: EXP };

let jwk: SigningJwk;
let keys: JwtKeys;
beforeAll(async () => {
  jwk = await generateSigningJwk();
  keys = await testJwtKeys(SECRET, jwk);
});

const hs256 = (header: Record<string, unknown> = {}) =>
  new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(new TextEncoder().encode(SECRET));

const es256 = (header: { kid?: string } = { kid: jwk.kid }, key: CryptoKey = keys.signing.privateKey) =>
  new SignJWT(CLAIMS).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header }).sign(key);

describe('project JWT keys', () => {
  it('accept an HS256 token signed with the secret and an ES256 token signed with the published key', async () => {
    expect(await verifyProjectJwt(await hs256(), keys, NOW)).toMatchObject({ ok: true, claims: CLAIMS });
    expect(await verifyProjectJwt(await es256(), keys, NOW)).toMatchObject({ ok: true, claims: CLAIMS });
  });

  it('refuse an ES256 token whose kid is not published, or that has no kid', async () => {
    const unknown = await verifyProjectJwt(await es256({ kid: '11111111-1111-4111-8111-111111111111' }), keys, NOW);
    expect(unknown).toEqual({ ok: false, reason: 'invalid', message: 'No suitable key or wrong key type' });
    expect(await verifyProjectJwt(await es256({}), keys, NOW)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuse an ES256 token signed by another key that claims our kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    expect(await verifyProjectJwt(await es256({ kid: jwk.kid }, privateKey), keys, NOW)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuse an HS256 token carrying the ES256 kid, and an unsecured alg:none token', async () => {
    expect(await verifyProjectJwt(await hs256({ kid: jwk.kid }), keys, NOW)).toMatchObject({ ok: false, reason: 'invalid' });
    const unsecured = new UnsecuredJWT(CLAIMS).encode();
    expect(await verifyProjectJwt(unsecured, keys, NOW)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuse an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const publicBytes = new TextEncoder().encode(JSON.stringify(keys.jwks.keys[0]));
    const confused = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(publicBytes);
    expect(await verifyProjectJwt(confused, keys, NOW)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('publish the public half only, in the fields GoTrue serves, and it verifies what the stack signs', async () => {
    expect(keys.jwks.keys).toEqual([
      { alg: 'ES256', crv: 'P-256', ext: true, key_ops: ['verify'], kid: jwk.kid, kty: 'EC', use: 'sig', x: jwk.x, y: jwk.y },
    ]);
    expect(JSON.stringify(keys.jwks)).not.toContain(jwk.d);
    expect(JSON.stringify(keys.jwks)).not.toContain(SECRET);
    const published = await importJWK(keys.jwks.keys[0]!, 'ES256');
    await expect(jwtVerify(await es256(), published, { currentDate: NOW })).resolves.toMatchObject({ payload: CLAIMS });
  });

  it('accept, after a restart re-imports the stored JWK, tokens signed before it', async () => {
    const stored = signingJwkSchema.parse(JSON.parse(JSON.stringify(jwk)));
    const restarted = await testJwtKeys(SECRET, stored);
    expect(restarted.signing.kid).toBe(jwk.kid);
    expect(await verifyProjectJwt(await es256(), restarted, NOW)).toMatchObject({ ok: true });
  });
});

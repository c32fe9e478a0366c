import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { JwtKeys } from '../keys/jwt-keys';
import { testJwtKeys } from '../keys/testing/test-jwt-keys';
import { verifyProjectJwt } from '../keys/verify-jwt';
import { VerifiedTokenCache } from './verified-token-cache';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const T0 = new Date('2026-01-01T00:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const at = (offsetSeconds: number) => new Date(T0.getTime() + offsetSeconds * 1000);

async function token(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT({ role: 'authenticated', ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

let keys: JwtKeys;
beforeAll(async () => {
  keys = await testJwtKeys(SECRET);
});

function countingCache(maxEntries?: number) {
  const verifyFully = vi.fn(verifyProjectJwt);
  return { cache: new VerifiedTokenCache(keys, maxEntries, verifyFully), verifyFully };
}

describe('VerifiedTokenCache', () => {
  it('verifies a token once and answers repeats from memory with the same claims', async () => {
    const { cache, verifyFully } = countingCache();
    const jwt = await token({ sub: 'u1', exp: seconds(at(3600)) });
    const first = await cache.verify(jwt, at(0));
    const again = await cache.verify(jwt, at(10));
    expect(first).toMatchObject({ ok: true, claims: { role: 'authenticated', sub: 'u1' } });
    expect(again).toEqual(first);
    expect(verifyFully).toHaveBeenCalledTimes(1);
  });

  it('remembers an ES256 user token signed with the published key the same way', async () => {
    const { cache, verifyFully } = countingCache();
    const jwt = await new SignJWT({ role: 'authenticated', sub: 'u2', exp: seconds(at(3600)) })
      .setProtectedHeader({ alg: 'ES256', kid: keys.signing.kid, typ: 'JWT' })
      .sign(keys.signing.privateKey);
    expect(await cache.verify(jwt, at(0))).toMatchObject({ ok: true, claims: { sub: 'u2' } });
    expect(await cache.verify(jwt, at(1))).toMatchObject({ ok: true, claims: { sub: 'u2' } });
    expect(verifyFully).toHaveBeenCalledTimes(1);
  });

  it('reports a remembered token as expired from its exp second on, as jose does', async () => {
    const { cache } = countingCache();
    const jwt = await token({ exp: seconds(at(60)) });
    expect((await cache.verify(jwt, at(59))).ok).toBe(true);
    expect(await cache.verify(jwt, at(60))).toEqual({ ok: false, reason: 'expired', message: 'JWT expired' });
    expect(await cache.verify(jwt, at(30))).toMatchObject({ ok: true });
  });

  it('never remembers a refusal: a forged or claimless token is checked every time', async () => {
    const { cache, verifyFully } = countingCache();
    const forged = await token({ exp: seconds(at(3600)) }, 'another-secret-that-is-at-least-32-characters');
    const noRole = await new SignJWT({ exp: seconds(at(3600)) }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    for (let i = 0; i < 2; i++) {
      expect(await cache.verify(forged, at(0))).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await cache.verify(noRole, at(0))).toMatchObject({ ok: false, reason: 'missing_claims' });
    }
    expect(verifyFully).toHaveBeenCalledTimes(4);
    expect(cache.size).toBe(0);
  });

  it('re-checks nbf on a hit when the clock is earlier than the token allows', async () => {
    const { cache } = countingCache();
    const jwt = await token({ nbf: seconds(at(100)), exp: seconds(at(3600)) });
    expect((await cache.verify(jwt, at(200))).ok).toBe(true);
    expect(await cache.verify(jwt, at(50))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('keeps at most maxEntries tokens, forgetting the least recently used', async () => {
    const { cache, verifyFully } = countingCache(2);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => token({ sub, exp: seconds(at(3600)) })));
    await cache.verify(a!, at(0));
    await cache.verify(b!, at(0));
    await cache.verify(a!, at(0)); // a is now the most recent
    await cache.verify(c!, at(0)); // evicts b
    expect(cache.size).toBe(2);
    verifyFully.mockClear();
    await cache.verify(a!, at(0));
    await cache.verify(c!, at(0));
    expect(verifyFully).not.toHaveBeenCalled();
    await cache.verify(b!, at(0));
    expect(verifyFully).toHaveBeenCalledTimes(1);
  });
});

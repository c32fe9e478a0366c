/**
 * Who a request runs as, decided the way Kong + PostgREST decide it in a hosted project:
 * the `apikey` (header or query parameter) must be one of the project's keys or a valid
 * project JWT; the role and claims come from the `Authorization: Bearer` JWT when present,
 * else from the apikey itself. `verify` may remember verified tokens (VerifiedTokenCache).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JwtKeys } from '../keys/jwt-keys';
import { verifyProjectJwt, type JwtClaims } from '../keys/verify-jwt';
import type { VerifyJwt } from './verified-token-cache';

export type RequestRole = { role: string; claims: JwtClaims; token: string };

export type RequestRoleFailure = {
  status: 401;
  /** Which layer refused: the API gateway (apikey) or the JWT check (Bearer). */
  layer: 'apikey' | 'jwt';
  reason: 'missing_apikey' | 'invalid_apikey' | 'expired' | 'invalid' | 'missing_claims';
  message: string;
};

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header(headers, 'authorization') ?? '');
  return match?.[1];
}

export async function resolveRequestRole(
  headers: IncomingHttpHeaders,
  url: URL,
  jwtKeys: JwtKeys,
  now: Date = new Date(),
  verify: VerifyJwt = (token, at) => verifyProjectJwt(token, jwtKeys, at),
): Promise<{ ok: true; value: RequestRole } | { ok: false; error: RequestRoleFailure }> {
  const apikey = header(headers, 'apikey') ?? url.searchParams.get('apikey') ?? undefined;
  if (!apikey) {
    return { ok: false, error: { status: 401, layer: 'apikey', reason: 'missing_apikey', message: 'No API key found in request' } };
  }
  const apikeyCheck = await verify(apikey, now);
  if (!apikeyCheck.ok) {
    return { ok: false, error: { status: 401, layer: 'apikey', reason: 'invalid_apikey', message: 'Invalid API key' } };
  }
  const token = bearerToken(headers) ?? apikey;
  const verified = token === apikey ? apikeyCheck : await verify(token, now);
  if (!verified.ok) {
    return { ok: false, error: { status: 401, layer: 'jwt', reason: verified.reason, message: verified.message } };
  }
  return { ok: true, value: { role: verified.claims.role, claims: verified.claims, token } };
}

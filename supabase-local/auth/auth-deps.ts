/**
 * What the auth routes need from the stack, with the clock injected so tests and the
 * reuse-interval logic never depend on wall time directly.
 */
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import type { GatewayContext } from '../http/gateway-service';
import type { JwtKeys } from '../keys/jwt-keys';
import type { SessionOrigin } from './session-queries';

export type AuthDeps = {
  pool: pg.Pool;
  jwtKeys: JwtKeys;
  /** Access-token lifetime, seconds (config.toml `auth.jwt_expiry`). */
  jwtExpiryS: number;
  refreshTokenRotation: boolean;
  /** Seconds a revoked refresh token may still be exchanged (`auth.refresh_token_reuse_interval`). */
  refreshTokenReuseIntervalS: number;
  signupEnabled: boolean;
  now(): Date;
  log(line: string): void;
};

export function authDepsFromContext(context: GatewayContext, now: () => Date = () => new Date()): AuthDeps {
  const { auth } = context.config;
  return {
    pool: context.adminPool,
    jwtKeys: context.jwtKeys,
    jwtExpiryS: auth.jwt_expiry,
    refreshTokenRotation: auth.enable_refresh_token_rotation,
    refreshTokenReuseIntervalS: auth.refresh_token_reuse_interval,
    signupEnabled: auth.enable_signup,
    now,
    log: context.log,
  };
}

/** Per-request facts: the issuer the client reached us at, and who is signing in. */
export type RequestFacts = { issuer: string; origin: SessionOrigin };

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function requestFacts(req: IncomingMessage): RequestFacts {
  // Like the CLI's GOTRUE_JWT_ISSUER (`http://127.0.0.1:54321/auth/v1`), on whatever port the stack runs.
  const host = firstHeader(req, 'host') ?? '127.0.0.1';
  const forwardedFor = firstHeader(req, 'x-forwarded-for')?.split(',')[0]?.trim();
  const ip = forwardedFor || req.socket.remoteAddress || null;
  return {
    issuer: `http://${host}/auth/v1`,
    origin: { userAgent: firstHeader(req, 'user-agent') ?? null, ip: ip && isIpLiteral(ip) ? ip : null },
  };
}

function isIpLiteral(value: string): boolean {
  return /^[0-9a-fA-F:.]+$/.test(value);
}

/**
 * GoTrue's error shapes. A request carrying `X-Supabase-Api-Version` (>= 2024-01-01, as
 * auth-js always sends) gets `{code, message}` and the header echoed back, which is the
 * only case in which auth-js reads `code` as the error code; otherwise the legacy
 * `{code: <status>, error_code, msg}`. `x-sb-error-code` is set either way
 * (supabase/auth internal/api/errors.go `handleResponseErrorHTTP`).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson } from '../http/json-response';

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024_01_01 = '2024-01-01';
const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** GoTrue's `ErrorCode` values this server emits (apierrors/errorcode.go). */
export type AuthErrorCode =
  | 'bad_json'
  | 'bad_jwt'
  | 'email_not_confirmed'
  | 'invalid_credentials'
  | 'no_authorization'
  | 'not_found'
  | 'phone_provider_disabled'
  | 'refresh_token_already_used'
  | 'refresh_token_not_found'
  | 'session_not_found'
  | 'signup_disabled'
  | 'unexpected_failure'
  | 'user_already_exists'
  | 'user_banned'
  | 'user_not_found'
  | 'validation_failed'
  | 'weak_password';

export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    /** Only for `weak_password`: GoTrue's `weak_password.reasons`. */
    readonly weakPasswordReasons?: readonly string[],
  ) {
    super(message);
  }
}

export const badRequest = (code: AuthErrorCode, message: string) => new AuthError(400, code, message);
export const forbidden = (code: AuthErrorCode, message: string) => new AuthError(403, code, message);
export const unprocessable = (code: AuthErrorCode, message: string) => new AuthError(422, code, message);

/** The API version the client asked for, when it is one GoTrue knows (only 2024-01-01 so far). */
function requestedApiVersion(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers[API_VERSION_HEADER.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !API_VERSION_PATTERN.test(value)) return undefined;
  // GoTrue answers with the closest version it supports that is not newer than the request.
  return value >= API_VERSION_2024_01_01 ? API_VERSION_2024_01_01 : undefined;
}

export function sendAuthError(headers: IncomingHttpHeaders, res: ServerResponse, error: AuthError): void {
  const version = requestedApiVersion(headers);
  const weakPassword = error.weakPasswordReasons ? { weak_password: { reasons: error.weakPasswordReasons } } : {};
  const responseHeaders: Record<string, string> = { 'x-sb-error-code': error.code };
  if (version) {
    responseHeaders[API_VERSION_HEADER] = version;
    sendJson(res, error.status, { code: error.code, message: error.message, ...weakPassword }, responseHeaders);
    return;
  }
  sendJson(res, error.status, { code: error.status, error_code: error.code, msg: error.message, ...weakPassword }, responseHeaders);
}

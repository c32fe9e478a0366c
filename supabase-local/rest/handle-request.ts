/**
 * One REST request end to end: who it runs as (apikey / Bearer), schema and media, the
 * plan for its target, one transaction on the authenticator pool, and the reply — or an
 * error in PostgREST's shape. A plan that misses the schema cache reloads it and retries once.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayContext, GatewayRequest } from '../http/gateway-service';
import { BodyTooLargeError, readBody, sendJson } from '../http/json-response';
import { resolveRequestRole, type RequestRoleFailure } from '../http/request-role';
import type { VerifiedTokenCache } from '../http/verified-token-cache';
import type { HttpReply, RestRequest } from './handlers/plan';
import { parseTarget, planFor } from './handlers/route';
import { mapPgError } from './map-pg-error';
import { requestSchema, responseMedia } from './request/media';
import { parsePrefer } from './request/prefer';
import { RestError } from './rest-error';
import { runInTransaction } from './run-in-transaction';
import type { SchemaCache } from './schema-cache/schema-cache';
import { statementRow } from './sql/statement';

/** What the REST service keeps between requests. */
export type RestState = { schema: SchemaCache; tokens: VerifiedTokenCache };

const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function sendAuthFailure(res: GatewayRequest['res'], failure: RequestRoleFailure): void {
  if (failure.layer === 'apikey') {
    sendJson(res, 401, { message: failure.message, hint: 'Double check your Supabase `anon` or `service_role` API key.' });
    return;
  }
  const code = failure.reason === 'invalid' ? 'PGRST301' : 'PGRST303';
  sendJson(res, 401, { code, details: null, hint: null, message: failure.message }, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${failure.message.replace(/["\\\r\n]/g, ' ')}"`,
  });
}

function sendReply(res: GatewayRequest['res'], reply: HttpReply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(body).toString() });
  res.end(body);
}

async function execute(context: GatewayContext, cache: SchemaCache, request: RestRequest, path: string): Promise<HttpReply> {
  const target = parseTarget(path);
  const anonymous = request.role.role === 'anon';
  for (let attempt = 0; ; attempt++) {
    try {
      const plan = planFor(target, request, await cache.snapshot());
      return await runInTransaction(
        context.apiPool,
        { role: request.role.role, claims: request.role.claims, method: request.method, path, headers: request.headers },
        { sql: plan.sql, params: plan.params, readOnly: plan.readOnly, mayRefuse: plan.mayRefuse, rollback: request.prefs.rollback },
        (rows) => plan.respond(statementRow(rows)),
      );
    } catch (error) {
      const restError = error instanceof RestError ? error : mapPgError(error, anonymous);
      if (!restError) throw error;
      if (restError.cacheMiss && attempt === 0 && (await cache.refreshIfChanged())) continue;
      throw restError;
    }
  }
}

export async function handleRestRequest(context: GatewayContext, state: RestState, { req, res, path, url }: GatewayRequest): Promise<void> {
  try {
    const auth = await resolveRequestRole(req.headers, url, context.jwtKeys, new Date(), state.tokens.verify);
    if (!auth.ok) {
      sendAuthFailure(res, auth.error);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const request: RestRequest = {
      method,
      schema: requestSchema(req.headers, method),
      url,
      headers: flatHeaders(req.headers),
      prefs: parsePrefer(req.headers.prefer),
      media: responseMedia(req.headers),
      body: BODY_METHODS.has(method) ? await readBody(req) : '',
      role: auth.value,
    };
    sendReply(res, await execute(context, state.schema, request, path));
  } catch (error) {
    if (error instanceof RestError) {
      sendJson(res, error.status, error.body());
    } else if (error instanceof BodyTooLargeError) {
      sendJson(res, 413, { code: 'PGRST413', message: error.message, details: null, hint: null });
    } else {
      context.log(`rest: ${req.method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendJson(res, 500, { code: 'PGRST000', message: 'internal error', details: null, hint: null });
    }
  }
}

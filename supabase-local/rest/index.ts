/**
 * The PostgREST-compatible REST server under /rest/v1: the subset of PostgREST's URL
 * grammar, headers and error shapes that @supabase/postgrest-js sends, run as real
 * Postgres roles so RLS applies exactly as in a hosted project.
 */
import type { GatewayContext, GatewayService } from '../http/gateway-service';
import { VerifiedTokenCache } from '../http/verified-token-cache';
import { handleRestRequest } from './handle-request';
import { EXPOSED_SCHEMAS } from './request/media';
import { SchemaCache } from './schema-cache/schema-cache';

export async function createRestService(context: GatewayContext): Promise<GatewayService> {
  const cache = new SchemaCache(context.adminPool, EXPOSED_SCHEMAS[0]);
  await cache.snapshot();
  const state = { schema: cache, tokens: new VerifiedTokenCache(context.jwtKeys) };
  return {
    handleRequest: (request) => handleRestRequest(context, state, request),
    async close() {},
  };
}

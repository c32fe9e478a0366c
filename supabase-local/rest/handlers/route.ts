/** Which handler a path below /rest/v1 goes to: `/table`, `/rpc/fn`, or the root. */
import { RestError } from '../rest-error';
import type { SchemaSnapshot } from '../schema-cache/schema-cache';
import type { Plan, RestRequest } from './plan';
import { planRead } from './read';
import { planRpc } from './rpc';
import { planWrite } from './write';

export type Target = { kind: 'table'; name: string } | { kind: 'rpc'; name: string } | { kind: 'root' };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RestError(400, 'PGRST100', '"failed to parse path"', `invalid percent-encoding in "${segment}"`);
  }
}

export function parseTarget(path: string): Target {
  const segments = path.split('/').filter((segment) => segment !== '').map(decode);
  if (segments.length === 0) return { kind: 'root' };
  if (segments.length === 1) return { kind: 'table', name: segments[0]! };
  if (segments.length === 2 && segments[0] === 'rpc') return { kind: 'rpc', name: segments[1]! };
  throw new RestError(404, 'PGRST125', `Invalid path specified in request URL`);
}

export function planFor(target: Target, request: RestRequest, snapshot: SchemaSnapshot): Plan {
  if (target.kind === 'root') throw new RestError(404, 'PGRST125', 'Invalid path specified in request URL');
  if (target.kind === 'rpc') {
    if (!['GET', 'HEAD', 'POST'].includes(request.method)) throw new RestError(405, 'PGRST101', 'Only GET, HEAD and POST are allowed for RPC');
    return planRpc(request, snapshot, target.name);
  }
  if (request.method === 'GET' || request.method === 'HEAD') return planRead(request, snapshot, target.name);
  return planWrite(request, snapshot, target.name);
}

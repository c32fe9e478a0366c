/**
 * The realtime server (Supabase Realtime as realtime-js speaks to it): the websocket at
 * `/realtime/v1/websocket` (Phoenix protocol, vsn 1.0.0 and 2.0.0), postgres_changes from
 * logical replication with per-subscriber RLS, broadcast (socket and REST) and presence.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import pg from 'pg';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { GatewayContext, GatewayService } from '../http/gateway-service';
import { sendJson } from '../http/json-response';
import { verifyProjectJwt } from '../keys/verify-jwt';
import { TableCatalog } from './postgres-changes/catalog';
import { ChangeDispatcher } from './postgres-changes/change-dispatcher';
import { startReplicationStream } from './postgres-changes/replication-stream';
import { installRlsCheck } from './postgres-changes/rls-check';
import { SubscriptionRegistry } from './postgres-changes/subscription-registry';
import { PresenceRegistry } from './presence';
import { serializerFor } from './protocol/serializers';
import { handleRestBroadcast } from './rest-broadcast';
import { systemScheduler } from './scheduler';
import { SocketSession } from './socket-session';
import { TopicRegistry } from './topic-registry';
import { authenticateUpgrade, refuseUpgrade } from './upgrade-auth';

export const PUBLICATION = 'supabase_realtime';
// Connections for visibility waits and RLS checks; the tables of one round run in parallel.
const RLS_POOL_SIZE = 3;

function slotNameFor(dbUrl: string): string {
  const database = decodeURIComponent(new URL(dbUrl).pathname.slice(1)) || 'postgres';
  return `supabase_local_realtime_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

export async function createRealtimeService(context: GatewayContext): Promise<GatewayService> {
  const topics = new TopicRegistry();
  const presence = new PresenceRegistry(topics);
  const registry = new SubscriptionRegistry();
  const catalog = new TableCatalog(context.adminPool);
  // Superuser connections: the check function switches to each subscriber's role itself.
  const rlsPool = new pg.Pool({ connectionString: context.dbUrl, max: RLS_POOL_SIZE });
  rlsPool.on('error', (error) => context.log(`realtime rls pool: ${error.message}`));

  await installRlsCheck(context.adminPool);

  let dispatcher: ChangeDispatcher | undefined;
  const stream = await startReplicationStream({
    dbUrl: context.dbUrl,
    adminPool: context.adminPool,
    slotName: slotNameFor(context.dbUrl),
    publication: PUBLICATION,
    onTransaction: (transaction) => dispatcher?.enqueue(transaction),
    onRelation: (oid) => catalog.invalidate(oid),
    wants: (relation, type) => registry.wants(relation.schema, relation.table, type),
    log: context.log,
  });
  dispatcher = new ChangeDispatcher({
    registry,
    catalog,
    rlsPool,
    acknowledge: (lsn) => stream.acknowledge(lsn),
    setIdle: (idle) => stream.setIdle(idle),
    log: context.log,
  });

  const wss = new WebSocketServer({ noServer: true });
  const sessions = new Set<SocketSession>();

  const verifyToken = (token: string) => verifyProjectJwt(token, context.jwtKeys);

  function startSession(ws: WebSocket, req: IncomingMessage, auth: Awaited<ReturnType<typeof authenticateUpgrade>> & { ok: true }): void {
    const session = new SocketSession({
      connectionId: randomUUID(),
      transport: {
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        close: (code, reason) => ws.close(code, reason),
      },
      serializer: auth.serializer,
      scheduler: systemScheduler,
      socketAuth: auth.auth,
      verifyToken,
      topics,
      presence,
      postgresChanges: registry,
      newPresenceKey: randomUUID,
      log: context.log,
    });
    sessions.add(session);
    ws.on('message', (data, isBinary) => session.receive(isBinary ? toBytes(data) : Buffer.from(toBytes(data)).toString('utf8'), isBinary));
    ws.on('close', () => {
      session.handleClose();
      sessions.delete(session);
    });
    ws.on('error', (error) => context.log(`realtime socket ${req.socket.remoteAddress}: ${error.message}`));
  }

  return {
    async handleRequest(request) {
      if (await handleRestBroadcast(request, context.jwtKeys, topics)) return;
      sendJson(request.res, 404, { error: 'not found' });
    },
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string) {
      if (path !== '/websocket' && path !== '/websocket/') {
        refuseUpgrade(socket, 404, 'not found');
        return;
      }
      void authenticateUpgrade(req, context.jwtKeys).then((auth) => {
        if (!auth.ok) {
          refuseUpgrade(socket, auth.status, auth.message);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => startSession(ws, req, auth));
      });
    },
    async close() {
      for (const session of sessions) session.shutdown();
      sessions.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await stream.stop();
      await rlsPool.end();
    },
  };
}

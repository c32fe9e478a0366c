/**
 * The gateway's one HTTP server: routes /rest/v1, /auth/v1 and /realtime/v1 to their
 * servers (as Kong does in a hosted project), answers CORS preflights for browser
 * clients, and serves /health for readiness.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayService } from './http/gateway-service';
import { sendJson } from './http/json-response';

export type MountedServices = { rest: GatewayService; auth: GatewayService; realtime: GatewayService };

const PREFIXES = [
  ['/rest/v1', 'rest'],
  ['/auth/v1', 'auth'],
  ['/realtime/v1', 'realtime'],
] as const;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, x-supabase-api-version, accept',
  'Access-Control-Expose-Headers': 'Content-Range, Range-Unit, X-Supabase-Api-Version, x-sb-error-code',
  'Access-Control-Max-Age': '86400',
};

function route(pathname: string): { service: keyof MountedServices; path: string } | undefined {
  for (const [prefix, service] of PREFIXES) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
      return { service, path: pathname.slice(prefix.length) || '/' };
    }
  }
  return undefined;
}

export type GatewayServer = { server: Server; close(): Promise<void> };

export function createGatewayServer(services: MountedServices, log: (line: string) => void): GatewayServer {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    const target = route(url.pathname);
    if (!target) {
      sendJson(res, 404, { message: 'no Route matched with those values' });
      return;
    }
    services[target.service].handleRequest({ req, res, path: target.path, url }).catch((error: unknown) => {
      log(`${target.service}: unhandled error on ${req.method} ${url.pathname}: ${String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'internal gateway error' });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const target = route(url.pathname);
    const handler = target && services[target.service].handleUpgrade;
    if (!target || !handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    handler.call(services[target.service], req, socket, head, target.path);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

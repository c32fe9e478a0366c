/**
 * The contract between the gateway's HTTP server and the servers it mounts
 * (rest/, auth/, realtime/): each gets the same context and handles the requests under
 * its prefix, as Kong routes them to PostgREST, GoTrue and Realtime in a hosted project.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import type { ProjectConfig } from '../config/project-config';
import type { JwtKeys } from '../keys/jwt-keys';
import type { ProjectKeys } from '../keys/project-keys';

export type GatewayContext = {
  config: ProjectConfig;
  keys: ProjectKeys;
  /** The same keys imported for signing and verifying JWTs, built once per stack. */
  jwtKeys: JwtKeys;
  /** Pool of the `authenticator` login role; each request switches role inside its own transaction. */
  apiPool: pg.Pool;
  /** Superuser pool for the stack's own servers (auth tables, catalogue reads). */
  adminPool: pg.Pool;
  /** Superuser connection string (realtime opens a replication connection with it). */
  dbUrl: string;
  log(line: string): void;
};

export type GatewayRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path below the service's prefix, e.g. `/books` for `/rest/v1/books`. */
  path: string;
  url: URL;
};

export interface GatewayService {
  handleRequest(request: GatewayRequest): Promise<void>;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void;
  close(): Promise<void>;
}

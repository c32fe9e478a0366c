/** What every auth route returns; `index.ts` writes it. Failures are thrown `AuthError`s. */
import type { IncomingMessage } from 'node:http';
import type { AuthDeps } from './auth-deps';

export type RouteResult = { status: 200; body: unknown; headers?: Record<string, string> } | { status: 204 };

export type RouteHandler = (req: IncomingMessage, url: URL, deps: AuthDeps) => Promise<RouteResult>;

/** The websocket as the session sees it; `ws` in production, an in-memory pair in tests. */
export interface Transport {
  send(data: string | Uint8Array): void;
  close(code: number, reason: string): void;
}

// RFC 6455 close codes the server uses.
export const CLOSE_NORMAL = 1000;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_GOING_AWAY = 1001;

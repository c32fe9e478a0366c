/** Placeholder until the auth server lands: answers 501 so clients fail loudly. */
import type { GatewayContext, GatewayService } from '../http/gateway-service';
import { sendJson } from '../http/json-response';

export async function createAuthService(_context: GatewayContext): Promise<GatewayService> {
  return {
    async handleRequest({ res }) {
      sendJson(res, 501, { message: 'auth is not implemented yet' });
    },
    async close() {},
  };
}

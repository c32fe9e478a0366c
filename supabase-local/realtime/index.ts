/** Placeholder until the realtime server lands: answers 501 so clients fail loudly. */
import type { GatewayContext, GatewayService } from '../http/gateway-service';
import { sendJson } from '../http/json-response';

export async function createRealtimeService(_context: GatewayContext): Promise<GatewayService> {
  return {
    async handleRequest({ res }) {
      sendJson(res, 501, { message: 'realtime is not implemented yet' });
    },
    async close() {},
  };
}

/** Placeholder until the rest server lands: answers 501 so clients fail loudly. */
import type { GatewayContext, GatewayService } from '../http/gateway-service';
import { sendJson } from '../http/json-response';

export async function createRestService(_context: GatewayContext): Promise<GatewayService> {
  return {
    async handleRequest({ res }) {
      sendJson(res, 501, { message: 'rest is not implemented yet' });
    },
    async close() {},
  };
}

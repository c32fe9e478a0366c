/** Fails fast, before anything starts, when a port npm start needs is already taken. */
import { connect } from 'node:net';

// A local listener accepts within milliseconds; this only bounds a filtered port.
const PROBE_TIMEOUT_MS = 500;

export function isPortTaken(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect({ port, host });
    const done = (taken: boolean) => {
      socket.destroy();
      resolveProbe(taken);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

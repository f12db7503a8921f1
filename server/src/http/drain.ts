import { Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long a kept-alive connection may stay idle once draining began: a client about to reuse it gets its answer instead of a reset. */
const IDLE_GRACE_MS = 1000;

export type ConnectionDrain = {
  /**
   * Stops accepting connections and lets every open one finish: each request in progress, or
   * arriving on a kept-alive connection meanwhile, is answered with `Connection: close`; a
   * connection idle for IDLE_GRACE_MS is closed. Resolves when none is left, or after `timeoutMs`
   * (the rest are then cut).
   */
  drain(timeoutMs: number): Promise<void>;
};

/** Follows the connections of `server` from the start, so that a shutdown can drain them (see ConnectionDrain). */
export function trackConnections(server: Server): ConnectionDrain {
  const sockets = new Set<Socket>();
  /** The response each connection is busy with; a connection missing here is idle. */
  const busy = new Map<Socket, ServerResponse>();
  const idleTimers = new Map<Socket, NodeJS.Timeout>();
  let draining = false;

  const closeWhenIdle = (socket: Socket) => {
    if (socket.destroyed || busy.has(socket)) return;
    clearTimeout(idleTimers.get(socket));
    idleTimers.set(
      socket,
      setTimeout(() => {
        if (!busy.has(socket)) socket.destroy();
      }, IDLE_GRACE_MS),
    );
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      busy.delete(socket);
      clearTimeout(idleTimers.get(socket));
      idleTimers.delete(socket);
    });
  });
  // Before the app's own listener, so the header is set before any answer can be written.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, res);
    clearTimeout(idleTimers.get(socket));
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      if (busy.get(socket) === res) busy.delete(socket);
      if (draining) closeWhenIdle(socket);
    });
  });

  return {
    drain: async (timeoutMs) => {
      draining = true;
      // net.Server's close stops accepting without http.Server's closing of idle connections at once.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      for (const socket of sockets) {
        const res = busy.get(socket);
        if (res && !res.headersSent) res.setHeader('connection', 'close');
        if (!res) closeWhenIdle(socket);
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([closed, late]);
      clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}

import http from 'node:http';

export interface GracefulServer {
  /**
   * Stops listening at once (new connections are refused), closes idle keep-alive connections,
   * lets every request already started finish and then closes its connection (the answer says
   * `Connection: close`), and cuts whatever is still open at `deadline` (epoch ms).
   */
  close(deadline: number): Promise<void>;
}

/** Watches the answers a server is writing, so that closing it can end their connections after them. */
export function graceful(server: http.Server): GracefulServer {
  const answering = new Set<http.ServerResponse>();
  let closing = false;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    answering.add(res);
    res.once('close', () => answering.delete(res));
  });
  return {
    close(deadline) {
      closing = true;
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
      return new Promise((resolve) => {
        // A busy connection turns idle just after its answer; the sweep closes it then.
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        const cut = setTimeout(() => server.closeAllConnections(), Math.max(0, deadline - Date.now()));
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

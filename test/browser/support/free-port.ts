import { createServer } from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago (for child processes that need a fixed PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        if (port) resolve(port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

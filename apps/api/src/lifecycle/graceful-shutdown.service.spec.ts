import type { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '../config/app-config';
import { GracefulShutdown } from './graceful-shutdown.service';

/** A plain HTTP server with the shutdown middleware in front: /slow answers when `release()` is called, /hang never. */
async function serve(shutdown: GracefulShutdown): Promise<{ server: Server; port: number; release: () => void }> {
  const waiting: Array<() => void> = [];
  const middleware = shutdown.middleware();
  const server = createServer((req, res) => {
    middleware(req as Request, res as unknown as Response, (() => {
      if (req.url === '/slow') waiting.push(() => res.end('done'));
      else if (req.url === '/hang') return;
      else res.end('fast');
    }) as NextFunction);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, release: () => {
      for (const f of waiting.splice(0)) f();
    },
  };
}

function get(port: number, path: string): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function build(timeoutSeconds: string, server: () => Server | null): GracefulShutdown {
  const host = { httpAdapter: { getHttpServer: () => server() } } as unknown as HttpAdapterHost;
  return new GracefulShutdown(host, AppConfig.fromEnv({ SHUTDOWN_TIMEOUT_SECONDS: timeoutSeconds }));
}

describe('GracefulShutdown', () => {
  let server: Server | null = null;

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => {
      if (server?.listening) server.close(() => {
        resolve();
      });
      else resolve();
    });
    server = null;
  });

  it('closes the listener, closes drain listeners, waits for the in-flight request and answers it with Connection: close', async () => {
    const shutdown = build('30', () => server);
    const s = await serve(shutdown);
    server = s.server;
    const inFlight = get(s.port, '/slow');
    while (shutdown.inFlightCount === 0) await new Promise((r) => setTimeout(r, 5));
    const closed: string[] = [];
    shutdown.onDrain(() => closed.push('kept'));
    shutdown.onDrain(() => closed.push('other'));
    const unregister = shutdown.onDrain(() => closed.push('removed'));
    unregister(); // a stream that ended by itself

    const done = shutdown.beforeApplicationShutdown('SIGTERM');
    expect(shutdown.draining).toBe(true);
    expect(server.listening).toBe(false); // new connections are refused from now on
    await expect(get(s.port, '/fast')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toEqual(['kept', 'other']);
    s.release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: 'done', connection: 'close' });
    await done;
    expect(shutdown.inFlightCount).toBe(0);
  });

  it('cuts requests still running after SHUTDOWN_TIMEOUT_SECONDS and returns', async () => {
    const shutdown = build('0', () => server);
    const s = await serve(shutdown);
    server = s.server;
    const hanging = get(s.port, '/hang');
    while (shutdown.inFlightCount === 0) await new Promise((r) => setTimeout(r, 5));
    await shutdown.beforeApplicationShutdown('SIGTERM');
    await expect(hanging).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('does nothing twice, and copes with no HTTP server (an application context)', async () => {
    const shutdown = build('1', () => null);
    await shutdown.beforeApplicationShutdown();
    await shutdown.beforeApplicationShutdown();
    expect(shutdown.draining).toBe(true);
  });
});

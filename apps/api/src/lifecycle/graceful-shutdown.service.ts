import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { Server } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import { AppConfig } from '../config/app-config';

/** Something that holds a connection open until told to stop (a live event stream): closed when draining starts. */
export type DrainListener = () => void;

/**
 * Graceful shutdown of the HTTP side (docs/deploy.md#shutdown). On SIGTERM/SIGINT Nest runs the shutdown
 * hooks; this one runs first (`beforeApplicationShutdown`, before Nest closes the server and before the
 * `onApplicationShutdown` hooks that stop the CDR sync after its window, release the sync lease and close the
 * database):
 *
 * 1. stop accepting connections (`server.close()`: new connections are refused) and close idle keep-alive ones;
 * 2. close long-lived streams (registered with `onDrain`), which would otherwise never finish;
 * 3. let in-flight requests finish, each answered with `Connection: close`, for at most
 *    SHUTDOWN_TIMEOUT_SECONDS; then the remaining connections are cut and the count is logged.
 *
 * While draining, readiness answers 503.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private readonly inFlight = new Set<Response>();
  private readonly drainListeners = new Set<DrainListener>();
  private idle: (() => void) | null = null;
  private drainingSince: number | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  /** True from the shutdown signal on. */
  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Requests being served right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Registers a stream closer, called once when draining starts; returns the unregister function. */
  onDrain(listener: DrainListener): () => void {
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  /** Express middleware (mounted first by configureApp): tracks in-flight requests. */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (_req, res, next) => {
      if (this.draining) res.setHeader('Connection', 'close');
      this.inFlight.add(res);
      const done = (): void => {
        if (this.inFlight.delete(res) && this.inFlight.size === 0) this.idle?.();
      };
      res.once('finish', done);
      res.once('close', done);
      next();
    };
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.draining) return;
    this.drainingSince = Date.now();
    const server = this.httpServer();
    const timeoutMs = this.config.shutdown.timeoutMs;
    this.logger.log(
      `Shutting down${signal ? ` (${signal})` : ''}: no new connections; ${String(this.inFlight.size)} request(s) in flight, waiting up to ${String(timeoutMs / 1000)}s`,
    );
    if (server?.listening) {
      server.close(); // stop accepting; Nest's own close later waits for the connections
    }
    server?.closeIdleConnections();
    for (const res of this.inFlight) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    for (const listener of [...this.drainListeners]) {
      try {
        listener();
      } catch (error: unknown) {
        this.logger.warn(`closing a stream failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.drainListeners.clear();
    const finished = await this.waitForInFlight(timeoutMs);
    if (!finished) {
      this.logger.warn(`${String(this.inFlight.size)} request(s) still running after ${String(timeoutMs / 1000)}s: closing their connections`);
      server?.closeAllConnections();
    } else {
      server?.closeIdleConnections();
      this.logger.log(`HTTP drained in ${String(Date.now() - this.drainingSince)} ms`);
    }
  }

  private waitForInFlight(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = null;
        resolve(false);
      }, timeoutMs);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = null;
        resolve(true);
      };
    });
  }

  private httpServer(): Server | HttpsServer | null {
    const adapter = this.adapterHost.httpAdapter as { getHttpServer?: () => unknown } | undefined;
    const server = adapter?.getHttpServer?.();
    return server instanceof Server || server instanceof HttpsServer ? server : null;
  }
}

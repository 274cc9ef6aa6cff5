import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { FakeAmiServer } from '@velora/integrations/simulator';
import { AppConfig } from '../config/app-config';

export interface AmiSimulatorConnection {
  host: string;
  port: number;
  username: string;
  secret: string;
}

/**
 * Demo mode: when no ISSABEL_AMI_HOST is configured outside production, the API starts the fake AMI
 * server in-process (real AMI framing over TCP on 127.0.0.1) and checks it, announced loudly.
 */
@Injectable()
export class IssabelSimulatorHost implements OnApplicationShutdown {
  private readonly logger = new Logger('IssabelSimulator');
  private connection: Promise<AmiSimulatorConnection> | null = null;
  private server: FakeAmiServer | null = null;

  constructor(private readonly config: AppConfig) {}

  get running(): boolean {
    return this.server !== null;
  }

  /** Starts the fake, or returns the running one (the settings service may ask again after a reload). */
  start(): Promise<AmiSimulatorConnection> {
    this.connection ??= this.launch().catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  /** Stops it when saved settings replace it (demo mode ends). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.connection = null;
    if (server !== null) {
      await server.stop();
      this.logger.log('the built-in fake AMI server stopped: a real one is configured');
    }
  }

  private async launch(): Promise<AmiSimulatorConnection> {
    const secret = randomBytes(18).toString('base64url');
    const username = 'velora-demo';
    const server = new FakeAmiServer({ username, secret, authFailDelayMs: 1000 });
    await server.start();
    this.server = server;
    const banner = '='.repeat(78);
    this.logger.warn(banner);
    this.logger.warn(`SIMULATOR MODE: no ISSABEL_AMI_HOST is configured (NODE_ENV=${this.config.nodeEnv}).`);
    this.logger.warn(`Issabel health and status come from the built-in fake AMI server at 127.0.0.1:${server.port}.`);
    this.logger.warn('Enter your PBX in Integrations (web app) or set ISSABEL_AMI_HOST, ISSABEL_AMI_USER and ISSABEL_AMI_SECRET.');
    this.logger.warn(banner);
    return { host: server.hostname, port: server.port, username, secret };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = null;
    this.connection = null;
  }
}

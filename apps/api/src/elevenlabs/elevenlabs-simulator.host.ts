import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { FakeElevenLabsServer } from '@velora/integrations/simulator';
import { AppConfig } from '../config/app-config';

/**
 * Demo mode: when no ELEVENLABS_API_KEY is configured outside production, the API starts the fake
 * ElevenLabs HTTP API in-process (127.0.0.1, silent but valid audio) and uses it, announced loudly.
 */
@Injectable()
export class ElevenLabsSimulatorHost implements OnApplicationShutdown {
  private readonly logger = new Logger('ElevenLabsSimulator');
  private connection: Promise<{ baseUrl: string; apiKey: string }> | null = null;
  private server: FakeElevenLabsServer | null = null;

  constructor(private readonly config: AppConfig) {}

  get running(): boolean {
    return this.server !== null;
  }

  /** Starts the fake, or returns the running one (the settings service may ask again after a reload). */
  start(): Promise<{ baseUrl: string; apiKey: string }> {
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
      this.logger.log('the built-in fake ElevenLabs API stopped: a real one is configured');
    }
  }

  private async launch(): Promise<{ baseUrl: string; apiKey: string }> {
    const apiKey = `sk_demo_${randomBytes(18).toString('hex')}`;
    const server = new FakeElevenLabsServer({ apiKey });
    await server.start();
    this.server = server;
    const banner = '='.repeat(78);
    this.logger.warn(banner);
    this.logger.warn(`SIMULATOR MODE: no ELEVENLABS_API_KEY is configured (NODE_ENV=${this.config.nodeEnv}).`);
    this.logger.warn(`Text to speech uses the built-in fake ElevenLabs API at ${server.url} (silent audio, demo voices).`);
    this.logger.warn('Enter your API key in Integrations (web app) or set ELEVENLABS_API_KEY.');
    this.logger.warn(banner);
    return { baseUrl: server.url, apiKey };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = null;
    this.connection = null;
  }
}

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
  private server: FakeElevenLabsServer | null = null;

  constructor(private readonly config: AppConfig) {}

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<{ baseUrl: string; apiKey: string }> {
    const apiKey = `sk_demo_${randomBytes(18).toString('hex')}`;
    const server = new FakeElevenLabsServer({ apiKey });
    await server.start();
    this.server = server;
    const banner = '='.repeat(78);
    this.logger.warn(banner);
    this.logger.warn(`SIMULATOR MODE: no ELEVENLABS_API_KEY is configured (NODE_ENV=${this.config.nodeEnv}).`);
    this.logger.warn(`Text to speech uses the built-in fake ElevenLabs API at ${server.url} (silent audio, demo voices).`);
    this.logger.warn('Set ELEVENLABS_API_KEY to use your ElevenLabs account.');
    this.logger.warn(banner);
    return { baseUrl: server.url, apiKey };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}

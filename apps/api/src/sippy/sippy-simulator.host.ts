import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SippySimulator } from '@velora/sippy/simulator';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';

export interface SimulatorConnection {
  url: string;
  username: string;
  password: string;
}

/**
 * Demo mode: when no SIPPY_RPC_URL is configured outside production, the API starts the SippySoft simulator
 * in-process (real XML-RPC over HTTP Digest on 127.0.0.1) and syncs from it, announced loudly.
 */
@Injectable()
export class SippySimulatorHost implements OnApplicationShutdown {
  private readonly logger = new Logger('SippySimulator');
  private simulator: SippySimulator | null = null;
  private connection: Promise<SimulatorConnection> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get running(): boolean {
    return this.simulator !== null;
  }

  /** Starts the simulator, or returns the running one (the settings service may ask again after a reload). */
  start(): Promise<SimulatorConnection> {
    this.connection ??= this.launch().catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  /** Stops it when saved settings replace it (demo mode ends). */
  async stop(): Promise<void> {
    const simulator = this.simulator;
    this.simulator = null;
    this.connection = null;
    if (simulator !== null) {
      await simulator.stop();
      this.logger.log('the built-in SippySoft simulator stopped: a switch is configured');
    }
  }

  private async launch(): Promise<SimulatorConnection> {
    const password = randomBytes(18).toString('base64url');
    const username = 'ssp-root';
    const simulator = new SippySimulator({ username, password, now: () => this.clock.now() });
    await simulator.start();
    this.simulator = simulator;
    const banner = '='.repeat(78);
    this.logger.warn(banner);
    this.logger.warn(`SIMULATOR MODE: no SIPPY_RPC_URL is configured (NODE_ENV=${this.config.nodeEnv}).`);
    this.logger.warn(`Velora is syncing demo CDRs from the built-in SippySoft simulator at ${simulator.url}.`);
    this.logger.warn('Enter your switch in Integrations (web app) or set SIPPY_RPC_URL, SIPPY_RPC_USER and SIPPY_RPC_PASS.');
    this.logger.warn(banner);
    return { url: simulator.url, username, password };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.stop();
    this.simulator = null;
    this.connection = null;
  }
}

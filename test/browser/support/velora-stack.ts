import { SippySimulator } from '@velora/sippy/simulator';
import type { Browser } from 'playwright-core';
import { ApiProcess, E2E_ADMIN, eventually } from './api-process';
import { launchChromium } from './chromium';
import { findLeaks, type NamedSecret } from './leak-check';

export const SIM_USER = 'velora-e2e';
export const SIM_PASS = 'e2e-Secret-Pa55';

export interface VeloraStackOptions {
  /** Extra API environment, e.g. `DEMO_MODE_ENV` for the Issabel/ElevenLabs fakes. */
  readonly apiEnv?: Readonly<Record<string, string>>;
}

/**
 * The API outside production with no Issabel/ElevenLabs configuration: it starts its in-process fake
 * AMI server and fake ElevenLabs API (demo mode, as `npm start` does). Sippy stays the spec's simulator.
 */
export const DEMO_MODE_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'development', LOG_FORMAT: 'json' };

/** Simulator + API + Chromium for one browser spec file. */
export class VeloraStack {
  readonly simulator = new SippySimulator({
    username: SIM_USER,
    password: SIM_PASS,
    seed: 'browser-e2e',
    historyHours: 2,
    callsPerMinute: 4,
  });
  // Unset until start() (and still unset in stop() when start() failed part-way).
  #api: ApiProcess | undefined;
  #browser: Browser | undefined;

  get api(): ApiProcess {
    if (this.#api === undefined) throw new Error('VeloraStack: start() first');
    return this.#api;
  }

  get browser(): Browser {
    if (this.#browser === undefined) throw new Error('VeloraStack: start() first');
    return this.#browser;
  }

  constructor(private readonly options: VeloraStackOptions = {}) {}

  async start(): Promise<void> {
    await this.simulator.start();
    this.#api = new ApiProcess({
      sippyUrl: this.simulator.url,
      sippyUser: SIM_USER,
      sippyPass: SIM_PASS,
      env: this.options.apiEnv,
    });
    await this.#api.start();
    this.#browser = await launchChromium();
    // The first sync must have stored rows before the UI is looked at.
    await eventually('the first CDR sync', async () => {
      const response = await this.api.fetch('/api/sippy/cdrs?limit=1');
      const rows = (await response.json()) as unknown[];
      return response.ok && rows.length > 0 ? true : undefined;
    });
  }

  /**
   * Stops everything, then fails the spec if a secret (the Sippy password, the admin password, the session key,
   * `extraSecrets`) appeared in any response the browser received or in the API's output.
   */
  async stop(extraSecrets: readonly NamedSecret[] = []): Promise<void> {
    await this.#browser?.close().catch(() => undefined);
    await this.#api?.stop();
    await this.simulator.stop();
    if (this.#api === undefined) return;
    const secrets: NamedSecret[] = [
      { name: 'SIPPY_RPC_PASS', value: SIM_PASS },
      { name: 'ADMIN_PASSWORD', value: E2E_ADMIN.password },
      { name: 'AUTH_JWT_SECRET', value: this.api.jwtSecret },
      ...extraSecrets,
    ];
    const { leaks, responses } = await findLeaks(secrets, this.api.output());
    if (responses === 0) throw new Error('the leak check saw no browser response: is recordResponses() wired into newContext()?');
    if (leaks.length > 0) {
      throw new Error(`Secrets leaked in this browser run (${responses} responses and the API output checked):\n- ${leaks.join('\n- ')}`);
    }
  }

  /** Waits until the API has stored a CDR whose caller matches. */
  async waitForStoredCaller(caller: string): Promise<void> {
    await eventually(`CDR from ${caller} to be synced`, async () => {
      const response = await this.api.fetch(`/api/sippy/cdrs?limit=50&caller=${encodeURIComponent(caller)}`);
      if (!response.ok) return undefined;
      const rows = (await response.json()) as Array<{ caller: string | null }>;
      return rows.some((row) => row.caller === caller) ? true : undefined;
    });
  }

  /** Waits until `/api/sippy/health` reports the wanted state of the switch. */
  async waitForSwitch(state: 'up' | 'down'): Promise<void> {
    await eventually(`switch health ${state}`, async () => {
      const response = await this.api.fetch('/api/sippy/health');
      const body = (await response.json()) as { details?: { sippy?: { status?: string } } };
      return body.details?.sippy?.status === state ? true : undefined;
    });
  }
}

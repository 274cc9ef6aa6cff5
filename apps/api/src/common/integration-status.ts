import type { IntegrationName } from '@velora/contracts';

/** What a health probe found, reduced to what the live events need (no hosts, no credentials). */
export interface IntegrationProbeResult {
  up: boolean;
  /** Why it is down (e.g. `timeout`, `auth`). */
  cause?: string;
  /** The explanation the health endpoint gives. */
  message?: string;
}

/**
 * Where the health probes of the configured integrations report (the events module turns state changes into
 * `integration` events). An abstract class so that it can be injected by class; the default reports nowhere.
 */
export abstract class IntegrationStatusReporter {
  /**
   * A configured integration: `check` runs its (cached) probe; the reporter may call it in the background so that
   * an outage is noticed with nobody watching. Fresh results come back through `report`.
   */
  abstract watch(name: IntegrationName, check: () => Promise<unknown>): void;
  /** A fresh probe result. Returns at once, never throws. */
  abstract report(name: IntegrationName, result: IntegrationProbeResult): void;
}

class NoopIntegrationStatusReporter extends IntegrationStatusReporter {
  watch(): void {
    // watches nothing
  }

  report(): void {
    // reports nowhere
  }
}

/** Reports nowhere (probe services used outside Nest, e.g. in unit tests). */
export const NOOP_INTEGRATION_STATUS: IntegrationStatusReporter = new NoopIntegrationStatusReporter();

import { Observable, Subject } from 'rxjs';
import type { IntegrationConnectionMode } from '@velora/contracts';

/** What every live client is described by (besides what each integration adds). */
export interface LiveClientInfo {
  mode: IntegrationConnectionMode;
}

export interface LiveClientState<TClient, TInfo extends LiveClientInfo> {
  readonly client: TClient;
  readonly info: TInfo;
  /** Grows with every swap: a long task can tell that the client it started with was replaced. */
  readonly generation: number;
}

/**
 * The current client of one integration. Consumers (the CDR sync, the health probes, the controllers) read
 * `current` at the moment they call out and follow `changes`; the settings service replaces the client with
 * `swap()` (one assignment: a reader sees the old client or the new one, never a mix) when settings are saved.
 */
export class LiveClient<TClient, TInfo extends LiveClientInfo> {
  private state: LiveClientState<TClient, TInfo>;
  private readonly subject = new Subject<LiveClientState<TClient, TInfo>>();
  private markReady!: () => void;
  /** After this, `current` is the configured client (the settings were read at start-up). */
  readonly ready: Promise<void> = new Promise((resolve) => {
    this.markReady = resolve;
  });
  /** Every swap, after it happened. */
  readonly changes: Observable<LiveClientState<TClient, TInfo>> = this.subject.asObservable();

  /** `ready`: the initial client is the one to use (tests, or no settings to read). */
  constructor(client: TClient, info: TInfo, options: { ready?: boolean } = {}) {
    this.state = { client, info, generation: 0 };
    if (options.ready === true) this.markReady();
  }

  get current(): LiveClientState<TClient, TInfo> {
    return this.state;
  }

  /** Puts a new client in force, announces it and returns the previous state (the caller disposes of its client). */
  swap(client: TClient, info: TInfo): LiveClientState<TClient, TInfo> {
    const previous = this.state;
    this.state = { client, info, generation: previous.generation + 1 };
    this.markReady();
    this.subject.next(this.state);
    return previous;
  }

  /** The settings were read and the client in force did not need replacing. */
  confirm(): void {
    this.markReady();
  }

  complete(): void {
    this.subject.complete();
  }
}

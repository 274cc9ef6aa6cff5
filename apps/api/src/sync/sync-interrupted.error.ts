export type SyncInterruptReason = 'shutdown' | 'settings_changed' | 'lease_lost';

const MESSAGES: Record<SyncInterruptReason, string> = {
  shutdown: 'sync interrupted by shutdown (the committed windows are kept)',
  settings_changed:
    'sync interrupted: the switch settings changed (the committed windows are kept; the sync restarts on the new switch)',
  lease_lost:
    'sync stopped: another replica took over the sync lease while this one was reading (the committed windows are kept; this replica stands by)',
};

/**
 * A run stopped between two windows (shutdown, new switch settings, or the sync lease lapsed and another replica
 * took it): not a failure of the switch.
 */
export class SyncInterruptedError extends Error {
  constructor(readonly reason: SyncInterruptReason) {
    super(MESSAGES[reason]);
    this.name = 'SyncInterruptedError';
  }
}

/** A run stopped between two windows (shutdown, or new switch settings): not a failure of the switch. */
export class SyncInterruptedError extends Error {
  constructor(readonly reason: 'shutdown' | 'settings_changed') {
    super(
      reason === 'shutdown'
        ? 'sync interrupted by shutdown (the committed windows are kept)'
        : 'sync interrupted: the switch settings changed (the committed windows are kept; the sync restarts on the new switch)',
    );
    this.name = 'SyncInterruptedError';
  }
}

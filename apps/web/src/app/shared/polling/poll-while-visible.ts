import { EMPTY, Observable, fromEvent, interval, map, merge, of, startWith, switchMap } from 'rxjs';

export type PollSignal = { readonly type: 'tick' } | { readonly type: 'paused' };
export const TICK: PollSignal = { type: 'tick' };
export const PAUSED: PollSignal = { type: 'paused' };

export interface PollOptions {
  readonly intervalMs: number;
  readonly document: Document;
  /** Each emission restarts the clock: an immediate tick, then one every `intervalMs`. */
  readonly restart$?: Observable<unknown>;
}

/**
 * The polling clock of every live view: ticks at once (synchronously) and then every `intervalMs`, restarts on
 * `restart$` (the "Refresh" button) and when the tab becomes visible again, and emits `paused`
 * instead of ticking while `document.hidden`. Consumers `switchMap` each tick into a request, so a
 * restart or a pause cancels a request still in flight and requests never overlap.
 */
export function pollWhileVisible({ intervalMs, document, restart$ = EMPTY }: PollOptions): Observable<PollSignal> {
  return merge(restart$, fromEvent(document, 'visibilitychange')).pipe(
    startWith(null),
    // `interval` + `startWith`: the first tick is synchronous (a click loads in the same task),
    // then one every `intervalMs` counted from the (re)start.
    switchMap(() =>
      document.hidden
        ? of(PAUSED)
        : interval(intervalMs).pipe(
            map(() => TICK),
            startWith(TICK),
          ),
    ),
  );
}

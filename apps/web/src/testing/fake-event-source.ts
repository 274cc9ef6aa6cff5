import type { EventSourceFactory, EventSourceLike } from '../app/core/events/live-events';

/** An EventSource the test drives: `emit()` a server message, `fail()` a connection error. */
export class FakeEventSource implements EventSourceLike {
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();

  constructor(
    readonly url: string,
    readonly withCredentials: boolean,
  ) {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  /** A message `event: type`, `data: JSON(data)`, `id: id`. */
  emit(type: string, data: unknown, id?: number): void {
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId: id === undefined ? '' : String(id) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  fail(): void {
    this.onerror?.(new Event('error'));
  }
}

/** Records every EventSource the code under test opens. */
export class FakeEventSources {
  readonly opened: FakeEventSource[] = [];

  readonly factory: EventSourceFactory = (url, init) => {
    const source = new FakeEventSource(url, init.withCredentials);
    this.opened.push(source);
    return source;
  };

  get last(): FakeEventSource {
    const last = this.opened.at(-1);
    if (last === undefined) throw new Error('no EventSource opened yet');
    return last;
  }
}

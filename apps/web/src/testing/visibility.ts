/** Controls `document.hidden` / `visibilityState` in jsdom and fires `visibilitychange`. */
export class FakeVisibility {
  private hidden = false;

  constructor(private readonly doc: Document = document) {
    Object.defineProperty(doc, 'hidden', { configurable: true, get: () => this.hidden });
    Object.defineProperty(doc, 'visibilityState', {
      configurable: true,
      get: () => (this.hidden ? 'hidden' : 'visible'),
    });
  }

  hide(): void {
    this.set(true);
  }

  show(): void {
    this.set(false);
  }

  restore(): void {
    delete (this.doc as unknown as Record<string, unknown>)['hidden'];
    delete (this.doc as unknown as Record<string, unknown>)['visibilityState'];
  }

  private set(hidden: boolean): void {
    this.hidden = hidden;
    this.doc.dispatchEvent(new Event('visibilitychange'));
  }
}

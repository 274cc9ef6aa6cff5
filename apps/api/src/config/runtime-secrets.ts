/**
 * Secret values that become known while the process runs (integration secrets saved from the web app, the
 * generated settings key): the log scrubber replaces them like the configured ones. The set only grows, so a
 * secret that was replaced by a newer one stays scrubbed.
 */
export class RuntimeSecrets {
  private readonly values = new Set<string>();

  /** Values shorter than 4 characters are ignored (they would scrub ordinary text). */
  add(value: string | null | undefined): void {
    if (typeof value === 'string' && value.length >= 4) this.values.add(value);
  }

  list(): string[] {
    return [...this.values];
  }

  get size(): number {
    return this.values.size;
  }
}

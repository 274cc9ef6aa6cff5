/**
 * A pino destination that keeps every log line of a test app in memory (tests assert on them, e.g. that no
 * secret is logged). VELORA_TEST_LOGS=1 echoes the lines to stdout.
 */
export class CapturingLogStream {
  readonly lines: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.length > 0) this.lines.push(line);
    }
    if (process.env['VELORA_TEST_LOGS'] === '1') {
      process.stdout.write(chunk);
    }
  }

  text(): string {
    return this.lines.join('\n');
  }

  /** The lines as objects (when the app logs JSON: LOG_FORMAT=json). */
  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

import type { LoggerService } from '@nestjs/common';

/** Keeps every log line of a test app in memory (tests assert on them, e.g. that no secret is logged). */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private push(level: string, message: unknown, params: unknown[]): void {
    const text = [message, ...params].map((p) => (typeof p === 'string' ? p : p instanceof Error ? `${p.message}\n${p.stack ?? ''}` : JSON.stringify(p))).join(' ');
    this.lines.push(`${level} ${text}`);
    if (process.env['VELORA_TEST_LOGS'] === '1') {
      process.stdout.write(`${level} ${text}\n`);
    }
  }

  log(message: unknown, ...params: unknown[]): void {
    this.push('LOG', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.push('ERROR', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.push('WARN', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.push('DEBUG', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.push('VERBOSE', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.push('FATAL', message, params);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { SippyClientFactory, SippyError, type SippyClient } from '@velora/sippy';
import { AppConfig } from '../config/app-config';
import type { TestConnectionDto, TestConnectionResultDto } from './dto/test-connection.dto';
import { explainSippyError } from './sippy-error.messages';

const TEST_TIMEOUT_MS = 10_000;

/**
 * POST /api/sippy/test-connection: tries the given credentials with a throw-away client (own Digest state,
 * own TLS settings, own connection pool). The configured client and settings are never touched.
 */
@Injectable()
export class SippyConnectionTester {
  private readonly logger = new Logger(SippyConnectionTester.name);

  constructor(
    private readonly factory: SippyClientFactory,
    private readonly config: AppConfig,
  ) {}

  async test(dto: TestConnectionDto): Promise<TestConnectionResultDto> {
    const username = dto.username ?? dto.api_key ?? '';
    const password = dto.password ?? dto.api_secret ?? '';
    const tlsVerify = dto.tls_verify ?? true;
    const endpoint = safeEndpoint(dto.api_url);
    const details: TestConnectionResultDto['details'] = {
      endpoint,
      latency_ms: null,
      methods: null,
      tls_verify: tlsVerify,
      ...(dto.account_id !== undefined ? { account_id: dto.account_id } : {}),
    };
    let client: SippyClient | null = null;
    try {
      client = this.factory.create({
        url: dto.api_url,
        username,
        password,
        tls: { verify: tlsVerify },
        timeoutMs: Math.min(TEST_TIMEOUT_MS, this.config.sippy.connection.timeoutMs),
        maxResponseBytes: 16 * 1024 * 1024,
      });
      const { latencyMs } = await client.probe();
      details.latency_ms = latencyMs;
      details.methods = await client.listMethods();
      if (dto.account_id !== undefined) {
        const now = new Date();
        const rows = await client.getAccountCDRs({
          startDate: new Date(now.getTime() - 86_400_000),
          endDate: now,
          iAccount: dto.account_id,
          limit: 1,
        });
        details.cdr_sample_count = rows.length;
      }
      this.logger.log(`test-connection to ${endpoint} as "${username}": ok in ${latencyMs} ms`);
      return { ok: true, message: `Connected to SippySoft in ${latencyMs} ms`, details };
    } catch (error) {
      if (!(error instanceof SippyError)) throw error;
      this.logger.log(`test-connection to ${endpoint} as "${username}": ${error.kind}`);
      return { ok: false, message: explainSippyError(error), details: { ...details, cause: error.kind } };
    } finally {
      await client?.close();
    }
  }
}

/** Origin + path only: no userinfo, no query string. */
export function safeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

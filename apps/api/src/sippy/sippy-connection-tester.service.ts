import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { SippyClientFactory, SippyError, type SippyClient } from '@velora/sippy';
import { AuditService } from '../auth/audit.service';
import type { AuthContext } from '../auth/auth.types';
import { AppConfig } from '../config/app-config';
import type { TestConnectionDto, TestConnectionResultDto } from './dto/test-connection.dto';
import { explainSippyError } from './sippy-error.messages';
import { TestTargetGuard, TestTargetRefusedError } from './test-target-guard';

export interface TestConnectionCaller {
  actor: AuthContext | null;
  ip: string | null;
}

const TEST_TIMEOUT_MS = 10_000;

/**
 * POST /api/sippy/test-connection: tries the given credentials with a throw-away client (own Digest state,
 * own TLS settings, own connection pool). The configured client and settings are never touched.
 */
@Injectable()
export class SippyConnectionTester {
  private readonly logger = new Logger(SippyConnectionTester.name);
  private readonly guard: TestTargetGuard;

  constructor(
    private readonly factory: SippyClientFactory,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {
    this.guard = new TestTargetGuard(config.sippy.testAllowedHosts);
  }

  /** Runs the test and writes the audit entry (target host, ok/cause; never the credentials). */
  async test(dto: TestConnectionDto, caller: TestConnectionCaller = { actor: null, ip: null }): Promise<TestConnectionResultDto> {
    const target = safeHost(dto.api_url);
    try {
      await this.guard.check(dto.api_url);
    } catch (error) {
      if (!(error instanceof TestTargetRefusedError)) throw error;
      this.logger.warn(`test-connection to ${target} refused: ${error.reason}`);
      await this.audit.record({ action: 'sippy.test_connection', actor: caller.actor, target, ip: caller.ip, details: { ok: false, refused: error.reason } });
      throw new BadRequestException(error.message);
    }
    const result = await this.run(dto);
    await this.audit.record({
      action: 'sippy.test_connection',
      actor: caller.actor,
      target,
      ip: caller.ip,
      details: { ok: result.ok, ...(result.details.cause !== undefined ? { cause: result.details.cause } : {}), tls_verify: result.details.tls_verify },
    });
    return result;
  }

  private async run(dto: TestConnectionDto): Promise<TestConnectionResultDto> {
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

/** host[:port] only, for logs and the audit log. */
export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
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

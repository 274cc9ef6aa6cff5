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

/** What a test connects with (test-connection's body, or settings from the Integrations page). */
export interface SippyTestCandidate {
  url: string;
  username: string;
  password: string;
  tlsVerify: boolean;
  /** PEM of a CA or self-signed certificate to trust. */
  caPem?: string | null;
  /** Also read one CDR of this i_account. */
  accountId?: number;
  /** The request field the URL came in (named in a refusal): `api_url` (test-connection) or `url` (settings). */
  urlField: string;
  /** Written to the audit entry: a plain test, or the settings page testing / saving. */
  purpose?: 'settings_test' | 'settings_save';
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
  test(dto: TestConnectionDto, caller: TestConnectionCaller = { actor: null, ip: null }): Promise<TestConnectionResultDto> {
    return this.testCandidate(
      {
        url: dto.api_url,
        username: dto.username ?? dto.api_key ?? '',
        password: dto.password ?? dto.api_secret ?? '',
        tlsVerify: dto.tls_verify ?? true,
        accountId: dto.account_id,
        urlField: 'api_url',
      },
      caller,
    );
  }

  /** The SSRF guard (400 naming the URL field when refused), the test itself and the audit entry. */
  async testCandidate(candidate: SippyTestCandidate, caller: TestConnectionCaller): Promise<TestConnectionResultDto> {
    const target = safeHost(candidate.url);
    const purpose = candidate.purpose === undefined ? {} : { purpose: candidate.purpose };
    try {
      await this.guard.check(candidate.url, candidate.urlField);
    } catch (error) {
      if (!(error instanceof TestTargetRefusedError)) throw error;
      this.logger.warn(`test-connection to ${target} refused: ${error.reason}`);
      await this.audit.record({
        action: 'sippy.test_connection',
        actor: caller.actor,
        target,
        ip: caller.ip,
        details: { ok: false, refused: error.reason, ...purpose },
      });
      throw new BadRequestException(error.message);
    }
    const result = await this.run(candidate);
    await this.audit.record({
      action: 'sippy.test_connection',
      actor: caller.actor,
      target,
      ip: caller.ip,
      details: {
        ok: result.ok,
        ...(result.details.cause !== undefined ? { cause: result.details.cause } : {}),
        tls_verify: result.details.tls_verify,
        ...purpose,
      },
    });
    return result;
  }

  private async run(candidate: SippyTestCandidate): Promise<TestConnectionResultDto> {
    const { username, password, tlsVerify } = candidate;
    const endpoint = safeEndpoint(candidate.url);
    const details: TestConnectionResultDto['details'] = {
      endpoint,
      latency_ms: null,
      methods: null,
      tls_verify: tlsVerify,
      ...(candidate.accountId !== undefined ? { account_id: candidate.accountId } : {}),
    };
    let client: SippyClient | null = null;
    try {
      client = this.factory.create({
        url: candidate.url,
        username,
        password,
        tls: { verify: tlsVerify, ...(candidate.caPem ? { ca: candidate.caPem } : {}) },
        timeoutMs: Math.min(TEST_TIMEOUT_MS, this.config.sippy.connection.timeoutMs),
        maxResponseBytes: 16 * 1024 * 1024,
      });
      const { latencyMs } = await client.probe();
      details.latency_ms = latencyMs;
      details.methods = await client.listMethods();
      if (candidate.accountId !== undefined) {
        const now = new Date();
        const rows = await client.getAccountCDRs({
          startDate: new Date(now.getTime() - 86_400_000),
          endDate: now,
          iAccount: candidate.accountId,
          limit: 1,
        });
        details.cdr_sample_count = rows.length;
      }
      this.logger.log(`test-connection to ${endpoint} as "${username}": ok in ${latencyMs} ms`);
      return { ok: true, message: `Connected to SippySoft in ${latencyMs} ms`, details };
    } catch (error) {
      if (!(error instanceof SippyError)) throw error;
      this.logger.log(`test-connection to ${endpoint} as "${username}": ${error.kind}`);
      details.cause = error.kind;
      return { ok: false, message: explainSippyError(error), details };
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

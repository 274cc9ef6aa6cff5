import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { FakeServer } from '@velora/simulator-kit';

import type { RawCdr } from '../src/cdr/cdr.model';
import { ROOT_CUSTOMER_ID } from './cdr-catalog';
import { CdrGenerator } from './cdr-generator';
import type { CdrOrder } from './cdr-query';
import { accountCdrWire, customerCdrWire, type CdrWireFormat } from './cdr-records';
import { DigestVerifier, type DigestAlgorithm } from './digest-verifier';
import { FaultController, type FaultKind } from './faults';
import { mix32, mulberry32, seedToUint32 } from './random';
import { SIM_FAULT, SippyFault, SippyMethods } from './sippy-methods';
import { parseSimTime } from './sim-time';
import { getSelfSignedCertificate } from './tls';
import { parseMethodCall, serializeFaultResponse, serializeResponse, unwrapWire, type ParsedMethodCall } from './xml-rpc-wire';

export const SIPPY_XMLAPI_PATH = '/xmlapi/xmlapi';

export interface SippySimulatorOptions {
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  /** HTTPS with a self-signed certificate (see certificatePem). Default false. */
  tls?: boolean;
  /** Digest username (the root customer's web login). Default 'ssp-root'. */
  username?: string;
  /** Digest password (Sippy API password). Default 'simulator-password'. */
  password?: string;
  /** Digest realm. Default 'sippy-simulator'. */
  realm?: string;
  /** Digest algorithms offered, in order. Default ['MD5'] (like Sippy). */
  digestAlgorithms?: DigestAlgorithm[];
  /** Pre-sent Basic credentials: 401 with a fresh challenge (default) or a bare 401. */
  basicPolicy?: 'challenge' | 'strict';
  /** Nonce lifetime (real time). Default 300000. */
  nonceTtlMs?: number;

  /** Traffic seed. Default 1. */
  seed?: number | string;
  /** Mean calls per minute over a day. Default 6. */
  callsPerMinute?: number;
  /** How much history exists at construction time. Default 24. */
  historyHours?: number;
  /** Explicit start of history (overrides historyHours). */
  historyStart?: number | Date;
  /** Longest call, seconds. Default 7200. */
  maxCallSeconds?: number;
  /** Dialer bursts per day (spam pattern). Default 4. */
  spamBurstsPerDay?: number;
  /** First i_cdr. Default 418000000 (or 2^31 + 418000000 with idsAbove2p31). */
  idStart?: number;
  /** Start ids above 2^31 (sent as `<i8>`). */
  idsAbove2p31?: boolean;
  /** The simulator's clock (CDR visibility, default windows). Default Date.now. */
  now?: () => number;

  /** Answer system.listMethods. Default true. */
  listMethods?: boolean;
  /** Ids as `<string>`. Default false. */
  idsAsString?: boolean;
  /** cost as `<string>`. Default false. */
  costAsString?: boolean;
  /** Send setup_time. Default true. */
  includeSetupTime?: boolean;
  /** end_date inclusive. Default false (start inclusive, end exclusive). */
  filterInclusiveEnd?: boolean;
  /** CDR order. Default 'connect_time_desc' (then i_cdr desc). */
  order?: CdrOrder;

  /**
   * Share of CDR and list calls (0..1) that answer a transient XML-RPC fault ("Database is busy, try again
   * later"), drawn from the seed: a switch under load. Default 0. Same as `faults.transientFaults({ rate })`.
   */
  transientFaultRate?: number;
  /** Every call waits this long before it is answered (real ms). Default 0. */
  latencyMs?: number;
  /** Methods the API user may not call: each answers a permission fault (403 "Access denied …"). */
  refuseMethods?: readonly string[];
  /** Request body limit (413 above). Default 1 MiB. */
  maxRequestBytes?: number;
  /** Entries kept in requestLog (oldest dropped). Default 10000. */
  requestLogLimit?: number;
}

export interface SimulatorRequestLogEntry {
  /** Real wall-clock time the request arrived (epoch ms). */
  at: number;
  /** The simulator clock at that moment. */
  simTime: number;
  httpMethod: string;
  path: string;
  /** XML-RPC method name, when the body parsed. */
  method: string | null;
  /** Parameters with secret-looking members replaced by '***'. */
  params: unknown[] | null;
  /** HTTP status sent (0 when the connection was dropped, hung or truncated). */
  status: number;
  /** Digest user when authenticated. */
  username: string | null;
  /** Why Digest rejected the request, when it did. */
  authFailure: string | null;
  faultCode: number | null;
  /** Injected fault that shaped the answer. */
  injected: FaultKind | null;
  durationMs: number;
}

/** The calls `transientFaultRate` applies to: the reads a sync makes. */
const TRANSIENT_FAULT_METHODS: readonly string[] = ['getAccountCDRs', 'getCustomerCDRs', 'listAccounts'];

const DEFAULT_USERNAME = 'ssp-root';
const DEFAULT_PASSWORD = 'simulator-password';
const SECRET_KEY = /pass|secret|token|api_?key|authorization/i;

/**
 * A SippySoft XML-RPC switch on a real socket: POST /xmlapi/xmlapi, strict HTTP Digest,
 * deterministic CDR traffic over a clock, and failure injection. See libs/sippy/README.md.
 */
export class SippySimulator extends FakeServer<Server> {
  readonly faults: FaultController;

  private readonly options: SippySimulatorOptions;
  private readonly clock: () => number;
  private readonly generator: CdrGenerator;
  private readonly methods: SippyMethods;
  private readonly format: CdrWireFormat;
  private readonly verifier: DigestVerifier;
  private readonly maxRequestBytes: number;
  private readonly requestLogLimit: number;
  private readonly log: SimulatorRequestLogEntry[] = [];
  private username: string;
  private certificate: { key: string; cert: string } | undefined;

  constructor(options: SippySimulatorOptions = {}) {
    super('SippySimulator', { host: options.host, port: options.port });
    this.options = { ...options };
    this.clock = options.now ?? Date.now;
    const now = this.clock();
    const historyHours = options.historyHours ?? 24;
    if (!(historyHours >= 0) || !Number.isFinite(historyHours)) {
      throw new RangeError('SippySimulator: historyHours must be a finite number >= 0');
    }
    const historyStart =
      options.historyStart instanceof Date
        ? options.historyStart.getTime()
        : (options.historyStart ?? now - historyHours * 3_600_000);
    this.generator = new CdrGenerator({
      seed: options.seed,
      callsPerMinute: options.callsPerMinute,
      historyStart,
      maxCallSeconds: options.maxCallSeconds,
      spamBurstsPerDay: options.spamBurstsPerDay,
      idStart: options.idStart ?? (options.idsAbove2p31 ? 2 ** 31 + 418_000_000 : undefined),
    });
    this.format = {
      includeSetupTime: options.includeSetupTime ?? true,
      idsAsString: options.idsAsString ?? false,
      costAsString: options.costAsString ?? false,
    };
    this.methods = new SippyMethods({
      generator: this.generator,
      format: this.format,
      listMethods: options.listMethods ?? true,
      filterInclusiveEnd: options.filterInclusiveEnd ?? false,
      order: options.order ?? 'connect_time_desc',
    });
    this.username = options.username ?? DEFAULT_USERNAME;
    this.verifier = new DigestVerifier({
      realm: options.realm ?? 'sippy-simulator',
      users: { [this.username]: options.password ?? DEFAULT_PASSWORD },
      algorithms: options.digestAlgorithms,
      basicPolicy: options.basicPolicy,
      nonceTtlMs: options.nonceTtlMs,
    });
    this.maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
    this.requestLogLimit = options.requestLogLimit ?? 10_000;
    this.faults = new FaultController(mulberry32(mix32(seedToUint32(options.seed ?? 1), 0xfa17)));
    this.faults.attachServer({ down: () => this.down(), up: () => this.up() });
    if (options.refuseMethods && options.refuseMethods.length > 0) this.faults.refuseMethods(options.refuseMethods);
    if (options.transientFaultRate !== undefined && options.transientFaultRate > 0) {
      this.faults.transientFaults({ rate: options.transientFaultRate, method: TRANSIENT_FAULT_METHODS });
    }
    if (options.latencyMs !== undefined && options.latencyMs > 0) this.faults.latency({ ms: options.latencyMs });
  }

  /** `http(s)://127.0.0.1:PORT/xmlapi/xmlapi` (after start()). */
  get url(): string {
    return `${this.lifecycle.origin(this.options.tls ? 'https' : 'http')}${SIPPY_XMLAPI_PATH}`;
  }

  /** The self-signed certificate (PEM) when tls is on and the simulator has started. */
  get certificatePem(): string | undefined {
    return this.certificate?.cert;
  }

  /** Every request handled (bounded by requestLogLimit), oldest first. */
  get requestLog(): readonly SimulatorRequestLogEntry[] {
    return this.log;
  }

  clearRequestLog(): void {
    this.log.length = 0;
  }

  /** The simulator's current time. */
  now(): number {
    return this.clock();
  }

  /** Called by start(): the certificate (tls), and the history, so the first request does not pay for it. */
  protected override async prepare(): Promise<void> {
    if (this.options.tls) this.certificate = await getSelfSignedCertificate();
    this.generator.advanceTo(this.clock());
  }

  /** Replaces the Digest credentials (old nonces stay valid for the new user, like a password change). */
  setCredentials(username: string, password: string): void {
    if (!username) throw new Error('SippySimulator: username must not be empty');
    this.username = username;
    this.verifier.setUsers({ [username]: password });
  }

  /** Forgets every nonce: the next request gets 401 with stale=true. */
  expireNonces(): void {
    this.verifier.expireAllNonces();
  }

  /**
   * Ground truth: every CDR getAccountCDRs can return to the login right now (all `type`s, no
   * date window), as a client decodes them, in i_cdr (write) order.
   */
  visibleCdrs(): RawCdr[] {
    return this.methods
      .visibleAccountCalls(ROOT_CUSTOMER_ID, this.clock())
      .map((c) => unwrapWire(accountCdrWire(c, this.format)) as RawCdr);
  }

  /** Ground truth for getCustomerCDRs: rows of the login's sub-customers, in i_cdr order. */
  visibleCustomerCdrs(): RawCdr[] {
    return this.methods
      .visibleCustomerCalls(ROOT_CUSTOMER_ID, this.clock())
      .map((c) => unwrapWire(customerCdrWire(c, this.format)) as RawCdr);
  }

  /**
   * Writes a CDR at the current simulator time, e.g. `{ connect_time: twoHoursAgo, duration: 7200 }`.
   * Times accept a Date, epoch ms or a format (b) string; other fields use Sippy names. Returns the
   * struct as getAccountCDRs will send it.
   */
  addCdr(partial: RawCdr = {}): RawCdr {
    const call = this.generator.addCall(partial, this.clock(), parseLooseTime);
    return unwrapWire(accountCdrWire(call, this.format)) as RawCdr;
  }

  /** HTTP, or HTTPS with the self-signed certificate; FakeServerLifecycle listens and tracks sockets. */
  protected override createServer(): Server {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end('Internal Server Error\n');
        } else {
          res.destroy();
        }
      });
    };
    const server = this.certificate
      ? createHttpsServer({ key: this.certificate.key, cert: this.certificate.cert }, handler)
      : createHttpServer(handler);
    server.on('clientError', (_error, socket) => socket.destroy());
    return server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: SimulatorRequestLogEntry = {
      at: Date.now(),
      simTime: this.clock(),
      httpMethod: req.method ?? '',
      path: req.url ?? '',
      method: null,
      params: null,
      status: 0,
      username: null,
      authFailure: null,
      faultCode: null,
      injected: null,
      durationMs: 0,
    };
    const finish = (status: number): void => {
      entry.status = status;
      entry.durationMs = Date.now() - entry.at;
      this.log.push(entry);
      if (this.log.length > this.requestLogLimit) this.log.splice(0, this.log.length - this.requestLogLimit);
    };

    const path = (req.url ?? '').split('?')[0];
    if (path !== SIPPY_XMLAPI_PATH) {
      req.resume();
      finish(this.sendText(res, 404, 'Not Found\n')); return;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      finish(this.sendText(res, 405, 'Method Not Allowed\n')); return;
    }

    const body = await readBody(req, this.maxRequestBytes);
    if (body === null) {
      res.setHeader('Connection', 'close');
      finish(this.sendText(res, 413, 'Request Entity Too Large\n')); return;
    }

    let parsed: ParsedMethodCall | undefined;
    let parseError: string | undefined;
    try {
      parsed = await parseMethodCall(body);
      entry.method = parsed.methodName;
      entry.params = redactSecrets(parsed.params) as unknown[];
    } catch (error) {
      parseError = error instanceof Error ? error.message : String(error);
    }
    const method = parsed?.methodName ?? null;

    const verdict = this.verifier.verify('POST', req.url ?? '', req.headers.authorization);
    const authenticated = verdict.ok;
    if (verdict.ok) entry.username = verdict.username;
    else entry.authFailure = verdict.reason;

    const slowMs = this.faults.takeSlow(method, authenticated);
    if (slowMs !== undefined) {
      entry.injected = 'slow';
      await this.lifecycle.delay(slowMs);
      if (res.destroyed) { finish(0); return; }
    }

    if (verdict.ok) {
      const authFail = this.faults.takeAuthFail(method);
      if (authFail) {
        entry.injected = 'authFail';
        entry.username = null;
        entry.authFailure = 'injected';
        if (authFail.challenge) res.setHeader('WWW-Authenticate', this.verifier.challenge()['WWW-Authenticate']);
        finish(this.sendText(res, 401, 'Unauthorized\n')); return;
      }
    }

    const terminal = this.faults.takeTerminal(method, authenticated);
    if (terminal) {
      entry.injected = terminal.kind;
      switch (terminal.kind) {
        case 'http500':
          { finish(this.sendText(res, terminal.status, terminal.body)); return; }
        case 'xmlRpcFault':
          entry.faultCode = terminal.faultCode;
          { finish(this.sendXml(res, serializeFaultResponse(terminal.faultCode, terminal.faultString))); return; }
        case 'malformed':
          { finish(this.sendXml(res, terminal.body)); return; }
        case 'drop':
          req.socket.destroy();
          { finish(0); return; }
        case 'hang':
          // Never answered; stop()/down() destroy the socket.
          { finish(0); return; }
        case 'truncate': {
          if (!verdict.ok) {
            const text = Buffer.from('Unauthorized: the body of this answer is cut short\n');
            finish(this.sendTruncated(res, 401, 'text/plain; charset=utf-8', text, terminal.fraction)); return;
          }
          const xml = Buffer.from(this.answer(parsed, parseError, entry), 'utf8');
          finish(this.sendTruncated(res, 200, 'text/xml; charset=utf-8', xml, terminal.fraction)); return;
        }
        case 'authFail':
        case 'slow':
          break;
      }
    }

    if (!verdict.ok) {
      const challenge = verdict.headers['WWW-Authenticate'];
      if (challenge !== undefined) res.setHeader('WWW-Authenticate', challenge);
      finish(this.sendText(res, verdict.status, 'Unauthorized\n')); return;
    }
    finish(this.sendXml(res, this.answer(parsed, parseError, entry)));
  }

  /** The XML-RPC answer (result or fault) for an authenticated call. */
  private answer(parsed: ParsedMethodCall | undefined, parseError: string | undefined, entry: SimulatorRequestLogEntry): string {
    if (!parsed) {
      entry.faultCode = SIM_FAULT.parseError;
      return serializeFaultResponse(SIM_FAULT.parseError, `Parse error: ${(parseError ?? 'invalid XML-RPC').slice(0, 200)}`);
    }
    try {
      const value = this.methods.call(parsed.methodName, parsed.params, {
        iCustomer: ROOT_CUSTOMER_ID,
        now: this.clock(),
        innerFault: (name) => this.faults.takeInnerFault(name),
      });
      return serializeResponse(value);
    } catch (error) {
      if (error instanceof SippyFault) {
        entry.faultCode = error.faultCode;
        return serializeFaultResponse(error.faultCode, error.faultString);
      }
      throw error;
    }
  }

  private sendText(res: ServerResponse, status: number, text: string): number {
    const body = Buffer.from(text, 'utf8');
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
    return status;
  }

  private sendXml(res: ServerResponse, xml: string): number {
    const body = Buffer.from(xml, 'utf8');
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/xml; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(body);
    return 200;
  }

  /** Declares the full length, sends a prefix, then closes the socket. */
  private sendTruncated(res: ServerResponse, status: number, contentType: string, body: Buffer, fraction: number): number {
    res.statusCode = status;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Length', body.length);
    res.flushHeaders();
    const cut = Math.floor(body.length * fraction);
    const socket = res.socket;
    res.write(body.subarray(0, cut), () => socket?.destroy());
    if (cut === 0) socket?.destroy();
    return 0;
  }
}

/** Reads the whole body; null when it exceeds the limit (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '***' : redactSecrets(member);
    }
    return out;
  }
  return value;
}

function parseLooseTime(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'string') {
    const b = parseSimTime(value);
    if (b !== null) return b;
    const iso = Date.parse(value);
    if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(iso)) return iso;
  }
  throw new TypeError(`addCdr: ${field} must be a Date, epoch ms, an ISO 8601 string or a Sippy format (b) time`);
}

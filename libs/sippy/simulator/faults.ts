/**
 * On-demand failure injection for the simulator. Each injected fault answers a number of matching
 * requests (`times`, default 1, or `'always'`) and then disappears. Faults are checked in the
 * order they were added; by default they apply to requests whose Digest credentials are valid
 * (so a client's unauthenticated first round trip does not use them up).
 */

export type FaultTimes = number | 'always';

export interface FaultScope {
  /** How many matching requests get this fault. Default 1. */
  times?: FaultTimes;
  /** Only requests (or, for xmlRpcFault, multicall entries) calling one of these methods. */
  method?: string | readonly string[];
  /**
   * Apply to requests that fail Digest authentication (e.g. a client's bare first request)
   * instead of authenticated ones, like a switch that answers 5xx before challenging.
   */
  unauthenticated?: boolean;
  /**
   * Probability (0 < rate <= 1) that a matching request gets this fault; the draw uses the controller's seeded
   * generator, so a run is repeatable. Requests that are not drawn pass untouched and do not count against `times`.
   * Default 1 (every matching request).
   */
  rate?: number;
}

export type FaultSpec =
  | { kind: 'authFail'; challenge: boolean }
  | { kind: 'http500'; status: number; body: string }
  | { kind: 'xmlRpcFault'; faultCode: number; faultString: string }
  | { kind: 'malformed'; body: string }
  | { kind: 'truncate'; fraction: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop' }
  | { kind: 'hang' };

export type FaultKind = FaultSpec['kind'];

export interface InjectedFault {
  readonly id: number;
  readonly spec: FaultSpec;
  readonly methods: readonly string[] | null;
  readonly unauthenticated: boolean;
  /** Remaining uses, or 'always'. */
  readonly remaining: number | 'always';
  /** How many requests it has answered so far. */
  readonly hits: number;
  /** Probability that a matching request gets it. */
  readonly rate: number;
}

interface MutableFault {
  id: number;
  spec: FaultSpec;
  methods: readonly string[] | null;
  unauthenticated: boolean;
  remaining: number | 'always';
  hits: number;
  rate: number;
}

/** Hooks into the server for down()/up(); set by SippySimulator. */
export interface ServerSwitch {
  down(): Promise<void>;
  up(): Promise<void>;
}

export const DEFAULT_MALFORMED_BODY =
  '<?xml version="1.0"?>\n<methodResponse><params><param><value><struct>' +
  '<member><name>result</name><value><string>OK</string></value></member>' +
  '<member><name>cdrs</name><value><array><data><value><struct></data></array></value></member>' +
  '</struct></value></param></params></methodResponse>\n';

/** Sippy's answer to a method the API user may not call (the wording real switches use varies; see docs). */
export const PERMISSION_FAULT = { faultCode: 403, faultString: 'Access denied: method is not allowed for this user' } as const;
/** A transient failure of the switch's database, the kind that succeeds when asked again. */
export const TRANSIENT_FAULT = { faultCode: 500, faultString: 'Database is busy, try again later' } as const;

export class FaultController {
  private faults: MutableFault[] = [];
  private nextId = 1;
  private server: ServerSwitch | undefined;

  /** @param random seeded [0, 1) generator for `rate` draws (the simulator passes one derived from its seed). */
  constructor(private readonly random: () => number = Math.random) {}

  /**
   * The API user may not call these methods: every call answers an XML-RPC fault (403, "Access denied …"),
   * like a CDR-only API user asking for listAccounts.
   */
  refuseMethods(methods: string | readonly string[], options: { faultCode?: number; faultString?: string } = {}): InjectedFault {
    return this.xmlRpcFault({
      method: methods,
      times: 'always',
      faultCode: options.faultCode ?? PERMISSION_FAULT.faultCode,
      faultString: options.faultString ?? PERMISSION_FAULT.faultString,
    });
  }

  /**
   * A share of the calls (`rate`, seeded) answers a transient fault ("Database is busy, try again later"), for as
   * long as it stays (default always): a switch under load.
   */
  transientFaults(options: FaultScope & { rate: number; faultCode?: number; faultString?: string }): InjectedFault {
    return this.xmlRpcFault({
      times: 'always',
      ...options,
      faultCode: options.faultCode ?? TRANSIENT_FAULT.faultCode,
      faultString: options.faultString ?? TRANSIENT_FAULT.faultString,
    });
  }

  /** Every matching request waits `ms` first (default always): a slow link or a busy switch. */
  latency(options: FaultScope & { ms: number }): InjectedFault {
    return this.slow({ times: 'always', ...options });
  }

  /** Valid credentials are rejected: 401 with a fresh challenge (or, challenge:false, a bare 401). */
  authFail(options: FaultScope & { challenge?: boolean } = {}): InjectedFault {
    return this.add({ kind: 'authFail', challenge: options.challenge ?? true }, options);
  }

  /** An HTTP error status (default 500) with a short text body. */
  http500(options: FaultScope & { status?: number; body?: string } = {}): InjectedFault {
    const status = options.status ?? 500;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError('http500: status must be an HTTP error status (400-599)');
    }
    return this.add({ kind: 'http500', status, body: options.body ?? 'Internal Server Error\n' }, options);
  }

  /** An XML-RPC fault with HTTP 200; with a method filter it also hits matching system.multicall entries. */
  xmlRpcFault(options: FaultScope & { faultCode?: number; faultString?: string } = {}): InjectedFault {
    const faultCode = options.faultCode ?? 500;
    if (!Number.isSafeInteger(faultCode)) throw new RangeError('xmlRpcFault: faultCode must be an integer');
    return this.add({ kind: 'xmlRpcFault', faultCode, faultString: options.faultString ?? 'Internal error' }, options);
  }

  /** HTTP 200 whose body is not well-formed XML-RPC. */
  malformed(options: FaultScope & { body?: string } = {}): InjectedFault {
    return this.add({ kind: 'malformed', body: options.body ?? DEFAULT_MALFORMED_BODY }, options);
  }

  /** Sends the real answer's headers (full Content-Length) and part of its body, then closes the socket. */
  truncate(options: FaultScope & { fraction?: number } = {}): InjectedFault {
    const fraction = options.fraction ?? 0.5;
    if (!(fraction >= 0 && fraction < 1)) throw new RangeError('truncate: fraction must be in [0, 1)');
    return this.add({ kind: 'truncate', fraction }, options);
  }

  /** Waits `ms` before answering (combines with any other fault that also matches). */
  slow(options: FaultScope & { ms: number }): InjectedFault {
    if (!(options.ms >= 0) || !Number.isFinite(options.ms)) throw new RangeError('slow: ms must be >= 0');
    return this.add({ kind: 'slow', ms: options.ms }, options);
  }

  /** Destroys the connection without any answer. */
  drop(options: FaultScope = {}): InjectedFault {
    return this.add({ kind: 'drop' }, options);
  }

  /** Never answers (until the simulator stops or goes down). */
  hang(options: FaultScope = {}): InjectedFault {
    return this.add({ kind: 'hang' }, options);
  }

  /** Removes every injected fault. */
  clear(): void {
    this.faults = [];
  }

  /** Removes one fault. */
  remove(fault: InjectedFault | number): void {
    const id = typeof fault === 'number' ? fault : fault.id;
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  /** Faults still waiting to fire (snapshots). */
  get active(): InjectedFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Stops listening (open connections are closed); the port stays reserved for up(). */
  async down(): Promise<void> {
    await this.requireServer().down();
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    await this.requireServer().up();
  }

  /** @internal Wiring from SippySimulator. */
  attachServer(server: ServerSwitch): void {
    this.server = server;
  }

  /** @internal The auth-stage fault for an authenticated request. */
  takeAuthFail(method: string | null): Extract<FaultSpec, { kind: 'authFail' }> | undefined {
    const f = this.take((s) => s.kind === 'authFail', method, true);
    return f?.kind === 'authFail' ? f : undefined;
  }

  /** @internal A `slow` fault for this request. */
  takeSlow(method: string | null, authenticated: boolean): number | undefined {
    const f = this.take((s) => s.kind === 'slow', method, authenticated);
    return f?.kind === 'slow' ? f.ms : undefined;
  }

  /** @internal The answer-replacing fault for this request (anything but authFail/slow). */
  takeTerminal(method: string | null, authenticated: boolean): FaultSpec | undefined {
    return this.take((s) => s.kind !== 'slow' && s.kind !== 'authFail', method, authenticated);
  }

  /** @internal An xmlRpcFault whose method filter names this system.multicall entry. */
  takeInnerFault(method: string): { faultCode: number; faultString: string } | undefined {
    const index = this.faults.findIndex(
      (f) =>
        f.spec.kind === 'xmlRpcFault' && !f.unauthenticated && f.methods !== null && f.methods.includes(method) && this.drawn(f),
    );
    if (index < 0) return undefined;
    const spec = this.consume(index);
    return spec.kind === 'xmlRpcFault' ? { faultCode: spec.faultCode, faultString: spec.faultString } : undefined;
  }

  private take(kindOk: (s: FaultSpec) => boolean, method: string | null, authenticated: boolean): FaultSpec | undefined {
    const index = this.faults.findIndex(
      (f) =>
        kindOk(f.spec) &&
        f.unauthenticated === !authenticated &&
        (f.methods === null || (method !== null && f.methods.includes(method))) &&
        this.drawn(f),
    );
    return index < 0 ? undefined : this.consume(index);
  }

  /** Whether a matching request gets fault f (always for rate 1; a seeded draw otherwise). */
  private drawn(f: MutableFault): boolean {
    return f.rate >= 1 || this.random() < f.rate;
  }

  private consume(index: number): FaultSpec {
    const f = this.faults[index];
    f.hits++;
    if (f.remaining !== 'always') {
      f.remaining--;
      if (f.remaining <= 0) this.faults.splice(index, 1);
    }
    return f.spec;
  }

  private add(spec: FaultSpec, scope: FaultScope): InjectedFault {
    const times = scope.times ?? 1;
    if (times !== 'always' && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError(`${spec.kind}: times must be a positive integer or 'always'`);
    }
    const rate = scope.rate ?? 1;
    if (!(rate > 0 && rate <= 1)) {
      throw new RangeError(`${spec.kind}: rate must be in (0, 1]`);
    }
    const methods =
      scope.method === undefined ? null : typeof scope.method === 'string' ? [scope.method] : [...scope.method];
    const fault: MutableFault = {
      id: this.nextId++,
      spec,
      methods,
      unauthenticated: scope.unauthenticated ?? false,
      remaining: times,
      hits: 0,
      rate,
    };
    this.faults.push(fault);
    return { ...fault };
  }

  private requireServer(): ServerSwitch {
    if (!this.server) throw new Error('FaultController: not attached to a simulator');
    return this.server;
  }
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DestinationStream, type Level, type Logger, type LoggerOptions, pino } from 'pino';
import { type Options as PinoHttpOptions } from 'pino-http';
import { prettyFactory } from 'pino-pretty';
import type { AppConfig } from '../config/app-config';

/** Where log lines go: stdout by default, a capturing stream in tests. */
export type LogDestination = DestinationStream;

export const REDACTED = '[REDACTED]';

/**
 * pino redact paths: credentials never reach a log line even when an object carrying them is logged
 * (request headers, DTOs, upstream options). Values are replaced by [REDACTED], keys are kept.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["proxy-authorization"]',
  'req.headers["xi-api-key"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'pass',
    'secret',
    'token',
    'apiKey',
    'api_key',
    'current_password',
    'new_password',
    'authorization',
    'cookie',
    'client_secret',
  ].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

const PINO_LEVEL: Readonly<Record<AppConfig['logLevel'], Level>> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

function escapeForJson(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Secrets that can grow while the process runs: `version` changes whenever `values` does. */
export interface GrowingSecrets {
  values(): readonly string[];
  version(): number;
}

function isGrowing(secrets: readonly string[] | GrowingSecrets): secrets is GrowingSecrets {
  return !Array.isArray(secrets);
}

/**
 * Last line of defence: replaces every configured secret value (as written, and JSON-escaped) that still
 * reaches a serialized log line — e.g. an upstream error message that echoes a password. With GrowingSecrets,
 * secrets learnt later (settings saved from the web app) are scrubbed too; the needles are rebuilt only when
 * the version changes.
 */
export function secretScrubber(secrets: readonly string[] | GrowingSecrets): (line: string) => string {
  const source: GrowingSecrets = isGrowing(secrets) ? secrets : { values: () => secrets, version: () => 0 };
  let built = Number.NaN;
  let needles: string[] = [];
  return (line) => {
    const version = source.version();
    if (version !== built) {
      built = version;
      needles = [...new Set(source.values().flatMap((s) => [s, escapeForJson(s)]))]
        .filter((s) => s.length >= 4)
        .sort((a, b) => b.length - a.length);
    }
    let out = line;
    for (const needle of needles) {
      if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    }
    return out;
  };
}

/**
 * The root pino logger of the API: JSON lines (LOG_FORMAT=json, production default) or pino-pretty for humans,
 * level from LOG_LEVEL, redact paths, secret scrubbing, `service` on every line.
 */
export function createRootLogger(config: AppConfig, destination?: LogDestination): Logger {
  const scrub = secretScrubber({ values: () => config.secretValues(), version: () => config.runtimeSecrets.size });
  const options: LoggerOptions = {
    level: PINO_LEVEL[config.logLevel],
    base: { service: 'velora-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    hooks: { streamWrite: scrub },
    formatters: { level: (label) => ({ level: label }) },
  };
  if (config.logFormat === 'pretty') {
    // formatted in-process and synchronously (no worker thread): pretty is for development and tests
    const prettify = prettyFactory({
      colorize: destination === undefined && process.stdout.isTTY,
      // request lines: the message already says method, path, status and duration
      ignore: 'pid,hostname,service,context,req,res,responseTime',
      messageFormat: '{if context}[{context}] {end}{msg}',
      translateTime: 'SYS:HH:MM:ss.l',
    });
    const out: LogDestination = destination ?? process.stdout;
    return pino(options, {
      write: (line: string) => {
        out.write(prettify(line));
      },
    });
  }
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

/** Probes and Prometheus hit these every few seconds: logged at debug, not info. */
const PROBE_PATHS = new Set(['/api/health/live', '/api/health/ready', '/api/sippy/health', '/metrics']);
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The path with query parameter names only: query values are personal data (phone numbers) and stay out of logs. */
export function loggablePath(url: string | undefined): string {
  const raw = url ?? '';
  const q = raw.indexOf('?');
  if (q < 0) return raw;
  const names = [...new URLSearchParams(raw.slice(q + 1)).keys()];
  return names.length > 0 ? `${raw.slice(0, q)}?${[...new Set(names)].join('&')}` : raw.slice(0, q);
}

/** The URL as the client sent it (Express's `originalUrl` survives the global prefix and routers). */
function urlOf(req: IncomingMessage): string {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
}

interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  remoteAddress?: string;
  headers: Record<string, unknown>;
}

/**
 * pino-http options: one line per request (method, path, status, duration, user id, request id), level by
 * outcome (5xx error, 4xx warn, probes debug), `X-Request-Id` taken from the caller when well-formed or
 * generated, and echoed in the response.
 */
export function requestLoggingOptions(logger: Logger): PinoHttpOptions {
  return {
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (req, res, error) => {
      if (error !== undefined || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return PROBE_PATHS.has(urlOf(req).split('?', 1)[0] ?? '') ? 'debug' : 'info';
    },
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method ?? ''} ${loggablePath(urlOf(req))} ${res.statusCode} ${Math.round(responseTime)} ms`,
    customErrorMessage: (req, res) => `${req.method ?? ''} ${loggablePath(urlOf(req))} ${res.statusCode} failed`,
    customProps: (req) => {
      const auth = (req as IncomingMessage & { auth?: { userId: string } }).auth;
      return { context: 'HTTP', ...(auth !== undefined ? { user_id: auth.userId } : {}) };
    },
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: loggablePath(req.url),
        remoteAddress: req.remoteAddress,
        userAgent: req.headers['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

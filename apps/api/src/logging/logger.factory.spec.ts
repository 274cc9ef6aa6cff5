import { AppConfig } from '../config/app-config';
import { CapturingLogStream } from '../../../../test/support/capturing-logger';
import { createRootLogger, loggablePath, REDACTED, secretScrubber } from './logger.factory';
import { PinoNestLogger } from './pino-nest.logger';

const SIPPY_PASS = 'Sippy-Secret-Pa55"word\\x';
const AMI_SECRET = 'ami-Secret-77';

function config(extra: Record<string, string> = {}): AppConfig {
  return AppConfig.fromEnv({
    NODE_ENV: 'test',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    SIPPY_RPC_URL: 'https://sippy.example.com/xmlapi/xmlapi',
    SIPPY_RPC_USER: 'ssp-root',
    SIPPY_RPC_PASS: SIPPY_PASS,
    ISSABEL_AMI_HOST: 'pbx.example.com',
    ISSABEL_AMI_USER: 'velora',
    ISSABEL_AMI_SECRET: AMI_SECRET,
    DATABASE_URL: 'postgres://velora:Db-Pa55-%40word@db.example.com/velora',
    ...extra,
  });
}

describe('root logger', () => {
  it('writes JSON lines with level label, time, service and the message', () => {
    const out = new CapturingLogStream();
    createRootLogger(config(), out).info({ context: 'Test' }, 'hello');
    const records = out.records();
    expect(records).toEqual([expect.objectContaining({ level: 'info', service: 'velora-api', context: 'Test', msg: 'hello' })]);
    expect(records[0]?.['time']).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('follows LOG_LEVEL (log = info: debug lines are dropped)', () => {
    const out = new CapturingLogStream();
    const logger = createRootLogger(config({ LOG_LEVEL: 'log' }), out);
    logger.debug('hidden');
    logger.info('shown');
    expect(out.records().map((r) => r['msg'])).toEqual(['shown']);
  });

  it('redacts credential paths in logged objects (headers, DTOs, nested options)', () => {
    const out = new CapturingLogStream();
    createRootLogger(config(), out).info(
      {
        req: { headers: { authorization: 'Bearer vlr_abc', cookie: 'velora_session=jwt', 'x-csrf-token': 'csrf', 'user-agent': 'curl' } },
        res: { headers: { 'set-cookie': ['velora_session=jwt'] } },
        body: { email: 'a@b.c', password: 'hunter2-hunter2' },
        upstream: { auth: { password: 'pw-nested-1' }, api_key: 'k-123456' },
        token: 'vlr_top',
      },
      'request',
    );
    expect(out.records()[0]).toMatchObject({
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'x-csrf-token': REDACTED, 'user-agent': 'curl' } },
      res: { headers: { 'set-cookie': REDACTED } },
      body: { email: 'a@b.c', password: REDACTED },
      upstream: { auth: { password: REDACTED }, api_key: REDACTED },
      token: REDACTED,
    });
    expect(out.text()).not.toMatch(/vlr_|jwt|hunter2|pw-nested|k-123456/);
  });

  it.each(['json', 'pretty'] as const)('scrubs configured secret values from %s lines, wherever they appear', (format) => {
    const out = new CapturingLogStream();
    const logger = createRootLogger(config({ LOG_FORMAT: format }), out);
    logger.error({ detail: `upstream said: bad secret ${AMI_SECRET}` }, `login with ${SIPPY_PASS} failed`);
    logger.warn('db password Db-Pa55-@word leaked by a driver');
    const text = out.text();
    expect(text).not.toContain(AMI_SECRET);
    expect(text).not.toContain('Pa55');
    expect(text.split(REDACTED).length - 1).toBeGreaterThanOrEqual(3);
    expect(text).toContain('failed');
  });

  it('pretty lines are human-readable: time, level, [context] message', () => {
    const out = new CapturingLogStream();
    createRootLogger(config({ LOG_FORMAT: 'pretty' }), out).info({ context: 'Sync' }, 'stored 5 CDRs');
    expect(out.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Sync\] stored 5 CDRs$/);
  });
});

describe('secretScrubber', () => {
  it('replaces raw and JSON-escaped forms, longest first, and leaves other text alone', () => {
    const scrub = secretScrubber(['abcd', 'abcdef', 'q"uote']);
    expect(scrub('x abcdef y abcd z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
    expect(scrub(JSON.stringify({ m: 'q"uote' }))).toBe(`{"m":"${REDACTED}"}`);
    expect(scrub('nothing here')).toBe('nothing here');
  });

  it('ignores values shorter than 4 characters (they would mangle every line)', () => {
    expect(secretScrubber(['ab'])('ab cab')).toBe('ab cab');
  });

  it('also scrubs secrets learnt after the logger was made (settings saved in the web app)', () => {
    const cfg = config({});
    const out = new CapturingLogStream();
    const logger = createRootLogger(cfg, out);
    logger.info('the saved password is Saved-Passw0rd-77');
    cfg.runtimeSecrets.add('Saved-Passw0rd-77');
    logger.info('the saved password is Saved-Passw0rd-77');
    expect(out.lines[0]).toContain('Saved-Passw0rd-77'); // not a secret yet
    expect(out.lines[1]).not.toContain('Saved-Passw0rd-77');
    expect(out.lines[1]).toContain(REDACTED);
  });
});

describe('loggablePath', () => {
  it('keeps the path and the query parameter names, never their values (phone numbers)', () => {
    expect(loggablePath('/api/sippy/cdrs?q=%2B905321234567&limit=50&q=x')).toBe('/api/sippy/cdrs?q&limit');
    expect(loggablePath('/api/health/live')).toBe('/api/health/live');
    expect(loggablePath('/api/x?')).toBe('/api/x');
  });
});

describe('PinoNestLogger', () => {
  function setup(): { out: CapturingLogStream; nest: PinoNestLogger } {
    const out = new CapturingLogStream();
    return { out, nest: new PinoNestLogger(createRootLogger(config(), out)) };
  }

  it('maps Nest levels and takes the context from the last string argument', () => {
    const { out, nest } = setup();
    nest.log('started', 'Bootstrap');
    nest.warn('slow', 'Sync');
    nest.verbose('very detailed', 'Sync'); // trace: below debug, dropped
    expect(out.records().map((r) => [r['level'], r['context'], r['msg']])).toEqual([
      ['info', 'Bootstrap', 'started'],
      ['warn', 'Sync', 'slow'],
    ]);
  });

  it('error(message, stack, context) keeps the stack; Error objects are serialized', () => {
    const { out, nest } = setup();
    nest.error('boom', 'Error: boom\n    at x', 'Sync');
    nest.error(new Error('kaput'), undefined, 'Db');
    const [first, second] = out.records();
    expect(first).toMatchObject({ level: 'error', context: 'Sync', msg: 'boom', stack: 'Error: boom\n    at x' });
    expect(second).toMatchObject({ level: 'error', context: 'Db', msg: 'kaput', err: { type: 'Error', message: 'kaput' } });
  });

  it('merges object messages into the line', () => {
    const { out, nest } = setup();
    nest.log({ msg: 'sync pass', stored: 5 }, 'Sync');
    expect(out.records()[0]).toMatchObject({ context: 'Sync', msg: 'sync pass', stored: 5 });
  });
});

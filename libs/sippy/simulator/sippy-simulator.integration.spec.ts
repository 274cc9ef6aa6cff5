import { request as httpsRequest } from 'node:https';

import type { XmlRpcStruct, XmlRpcValue } from '../src/codec/xml-rpc.types';
import { SippyError } from '../src/errors/sippy.error';
import { DigestXmlRpcTransport } from '../src/transport/digest-xml-rpc-transport';
import { formatSimTime, parseSimTime } from './sim-time';
import { SippySimulator, type SippySimulatorOptions } from './sippy-simulator';
import { SimTestClient, TestClientError, parseChallenge } from './testing-client';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const HOUR = 3_600_000;
const USER = 'ssp-root';
const PASSWORD = 'it-secret-7f3a';

type Cdr = Record<string, unknown>;

const connectOf = (c: Cdr): number => {
  const t = parseSimTime(String(c['connect_time']));
  if (t === null) throw new Error(`bad connect_time ${String(c['connect_time'])}`);
  return t;
};
const byConnectDesc = (a: Cdr, b: Cdr): number => connectOf(b) - connectOf(a) || Number(b['i_cdr']) - Number(a['i_cdr']);
const ids = (cdrs: Cdr[]): number[] => cdrs.map((c) => Number(c['i_cdr']));

/** §4.1 type mapping, written out independently of the simulator's implementation. */
const TYPE_FILTERS: Record<string, (c: Cdr) => boolean> = {
  all: () => true,
  non_zero: (c) => Number(c['duration']) > 0,
  non_zero_and_errors: (c) => Number(c['duration']) > 0 || c['result'] !== 0,
  complete: (c) => c['result'] === 0,
  incomplete: (c) => c['result'] !== 0,
  errors: (c) => c['result'] !== 0 && Number(c['duration']) === 0,
};

function asStruct(value: XmlRpcValue): XmlRpcStruct {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a struct');
  return value as XmlRpcStruct;
}

function cdrsOf(value: XmlRpcValue): Cdr[] {
  const s = asStruct(value);
  expect(s['result']).toBe('OK');
  expect(Array.isArray(s['cdrs'])).toBe(true);
  return s['cdrs'] as Cdr[];
}

async function expectFault(promise: Promise<unknown>, code: number): Promise<SippyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SippyError);
  const sippyError = error as SippyError;
  expect(sippyError.kind).toBe('fault');
  expect(sippyError.faultCode).toBe(code);
  return sippyError;
}

describe('SippySimulator over real HTTP with Digest', () => {
  let now = T0;
  let sim: SippySimulator;
  let transport: DigestXmlRpcTransport;
  let client: SimTestClient;

  const startSim = async (options: SippySimulatorOptions = {}): Promise<SippySimulator> => {
    const s = new SippySimulator({ password: PASSWORD, seed: 7, historyHours: 6, now: () => now, ...options });
    await s.start();
    return s;
  };

  beforeAll(async () => {
    sim = await startSim();
    transport = new DigestXmlRpcTransport({ url: sim.url, username: USER, password: PASSWORD, timeoutMs: 5000 });
    client = new SimTestClient({ url: sim.url, username: USER, password: PASSWORD });
  });

  afterAll(async () => {
    await transport.close();
    await sim.stop();
  });

  afterEach(() => {
    sim.faults.clear();
  });

  describe('HTTP and Digest', () => {
    it('listens on 127.0.0.1 at /xmlapi/xmlapi', () => {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlapi\/xmlapi$/);
    });

    it('answers a request without credentials with 401 and an MD5 qop=auth challenge', async () => {
      const res = await client.raw('<methodCall><methodName>listAccounts</methodName></methodCall>');
      expect(res.status).toBe(401);
      const header = String(res.headers['www-authenticate']);
      expect(header).toMatch(/^Digest /);
      expect(header).toContain('qop="auth"');
      expect(header).toContain('algorithm=MD5');
      const challenge = parseChallenge(header);
      expect(challenge?.realm).toBe('sippy-simulator');
      expect(challenge?.nonce).toBeTruthy();
      expect(challenge?.opaque).toBeTruthy();
      expect(res.body).not.toContain('methodResponse');
    });

    it('rejects a wrong password with another 401 challenge', async () => {
      const wrong = new SimTestClient({ url: sim.url, username: USER, password: 'nope' });
      const res = await wrong.post('listAccounts', [{ offset: 0, limit: 1 }]);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Digest /);
      expect(sim.requestLog.at(-1)?.authFailure).toBe('bad_response');

      const bad = new DigestXmlRpcTransport({ url: sim.url, username: USER, password: 'nope', timeoutMs: 5000 });
      await expect(bad.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'auth' });
      await bad.close();
    });

    it('rejects a pre-sent Basic header with a fresh challenge', async () => {
      const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
      const res = await client.raw('<methodCall><methodName>listAccounts</methodName></methodCall>', {
        headers: { Authorization: `Basic ${basic}` },
      });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Digest /);
    });

    it('serves only POST /xmlapi/xmlapi', async () => {
      expect((await client.raw('', { path: '/xmlapi' })).status).toBe(404);
      expect((await client.raw('', { path: '/' })).status).toBe(404);
      const get = await client.raw('', { method: 'GET' });
      expect(get.status).toBe(405);
      expect(get.headers['allow']).toBe('POST');
    });

    it('accepts any Content-Type (curl -d sends form-urlencoded)', async () => {
      const form = new SimTestClient({ url: sim.url, username: USER, password: PASSWORD });
      const original = form.raw.bind(form);
      form.raw = (body, init) =>
        original(body, { ...init, headers: { ...init?.headers, 'Content-Type': 'application/x-www-form-urlencoded' } });
      const value = (await form.call('listAccounts', [{ offset: 0, limit: 1 }])) as Record<string, unknown>;
      expect(value['result']).toBe('OK');
    });

    it('answers 413 to an oversized body', async () => {
      const small = await startSim({ maxRequestBytes: 1024 });
      try {
        const c = new SimTestClient({ url: small.url });
        const res = await c.raw(`<methodCall><methodName>x</methodName><!--${'a'.repeat(4096)}--></methodCall>`);
        expect(res.status).toBe(413);
      } finally {
        await small.stop();
      }
    });

    it('answers a malformed request body with a parse-error fault (HTTP 200)', async () => {
      const res = await client.postXml('<methodCall><methodName>listAccounts</methodName><params><param><value><struct>');
      expect(res.status).toBe(200);
      expect(res.body).toContain('<fault>');
      expect(res.body).toContain('<int>-32700</int>');
    });

    it('re-challenges with stale=true after nonce expiry, and the client recovers', async () => {
      await transport.call('listAccounts', [{ offset: 0, limit: 1 }]);
      sim.expireNonces();
      sim.clearRequestLog();
      await transport.call('listAccounts', [{ offset: 0, limit: 1 }]);
      expect(sim.requestLog.map((e) => [e.status, e.authFailure])).toEqual([
        [401, 'stale'],
        [200, null],
      ]);
    });

    it('setCredentials replaces the password', async () => {
      const s = await startSim();
      try {
        s.setCredentials('api-user', 'new-pass');
        const old = new SimTestClient({ url: s.url, username: USER, password: PASSWORD });
        expect((await old.post('listAccounts', [])).status).toBe(401);
        const fresh = new SimTestClient({ url: s.url, username: 'api-user', password: 'new-pass' });
        expect((await fresh.post('listAccounts', [])).status).toBe(200);
      } finally {
        await s.stop();
      }
    });
  });

  describe('getAccountCDRs', () => {
    const window = { start: T0 - 3 * HOUR, end: T0 - 1 * HOUR };
    const params = (extra: Record<string, unknown> = {}): XmlRpcStruct => ({
      start_date: formatSimTime(window.start),
      end_date: formatSimTime(window.end),
      type: 'all',
      ...extra,
    });
    const truthInWindow = (): Cdr[] =>
      sim
        .visibleCdrs()
        .filter((c) => connectOf(c) >= window.start && connectOf(c) < window.end)
        .sort(byConnectDesc);

    it('returns {result: OK, cdrs} equal to the ground truth for a window, newest first', async () => {
      const cdrs = cdrsOf(await transport.call('getAccountCDRs', [params()]));
      const truth = truthInWindow();
      expect(truth.length).toBeGreaterThan(100);
      expect(cdrs).toEqual(truth);
      const sorted = [...cdrs].sort(byConnectDesc);
      expect(ids(cdrs)).toEqual(ids(sorted));
    });

    it('sends doubles, ints, i_call as a string and <nil/> for empty optionals', async () => {
      const res = await client.post('getAccountCDRs', [params({ limit: 1 })]);
      expect(res.body).toMatch(/<name>duration<\/name><value><double>/);
      expect(res.body).toMatch(/<name>billed_duration<\/name><value><int>/);
      expect(res.body).toMatch(/<name>i_call<\/name><value><string>\d+<\/string>/);
      expect(res.body).toMatch(/<name>lrn_cld<\/name><value><nil\/><\/value>/);
      expect(res.body).toMatch(/<name>result<\/name><value><string>OK<\/string>/);
    });

    it('treats start_date as inclusive and end_date as exclusive, on connect_time', async () => {
      const truth = sim.visibleCdrs();
      const anchor = truth[Math.floor(truth.length / 2)];
      const at = connectOf(anchor);
      const exact = cdrsOf(
        await transport.call('getAccountCDRs', [{ start_date: formatSimTime(at), end_date: formatSimTime(at + 1000), type: 'all' }]),
      );
      expect(ids(exact)).toContain(Number(anchor['i_cdr']));
      expect(exact.every((c) => connectOf(c) === at)).toBe(true);
      const before = cdrsOf(
        await transport.call('getAccountCDRs', [{ start_date: formatSimTime(at - 60_000), end_date: formatSimTime(at), type: 'all' }]),
      );
      expect(ids(before)).not.toContain(Number(anchor['i_cdr']));
    });

    it('honours filterInclusiveEnd', async () => {
      const s = await startSim({ filterInclusiveEnd: true });
      const t = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD });
      try {
        const anchor = s.visibleCdrs()[10];
        const at = connectOf(anchor);
        const got = cdrsOf(await t.call('getAccountCDRs', [{ start_date: formatSimTime(at - 60_000), end_date: formatSimTime(at), type: 'all' }]));
        expect(ids(got)).toContain(Number(anchor['i_cdr']));
      } finally {
        await t.close();
        await s.stop();
      }
    });

    it.each(Object.keys(TYPE_FILTERS))('type=%s follows the §4.1 mapping', async (type) => {
      const cdrs = cdrsOf(await transport.call('getAccountCDRs', [params({ type })]));
      expect(ids(cdrs)).toEqual(ids(truthInWindow().filter(TYPE_FILTERS[type])));
    });

    it('defaults to type non_zero_and_errors', async () => {
      const { type: _omit, ...noType } = params();
      const cdrs = cdrsOf(await transport.call('getAccountCDRs', [noType]));
      const expected = truthInWindow().filter(TYPE_FILTERS['non_zero_and_errors']);
      expect(ids(cdrs)).toEqual(ids(expected));
      expect(expected.length).toBeLessThan(truthInWindow().length);
    });

    it('returns only the last hour without dates', async () => {
      const cdrs = cdrsOf(await transport.call('getAccountCDRs', [{ type: 'all' }]));
      const expected = sim.visibleCdrs().filter((c) => connectOf(c) >= now - HOUR).sort(byConnectDesc);
      expect(cdrs.length).toBeGreaterThan(0);
      expect(ids(cdrs)).toEqual(ids(expected));
    });

    it('filters by i_account and by i_cdr (given as a string)', async () => {
      const byAccount = cdrsOf(await transport.call('getAccountCDRs', [params({ i_account: 1043 })]));
      expect(byAccount.length).toBeGreaterThan(0);
      expect(ids(byAccount)).toEqual(ids(truthInWindow().filter((c) => c['i_account'] === 1043)));

      const one = sim.visibleCdrs()[5];
      const single = cdrsOf(await transport.call('getAccountCDRs', [{ i_cdr: String(one['i_cdr']), type: 'all' }]));
      expect(single).toEqual([one]);
    });

    it('matches cli and cld with SQL LIKE (% and _)', async () => {
      const truth = truthInWindow();
      const cli = String(truth[0]['cli']);
      const prefixPattern = `${cli.slice(0, 6)}%`;
      const got = cdrsOf(await transport.call('getAccountCDRs', [params({ cli: prefixPattern })]));
      expect(ids(got)).toEqual(ids(truth.filter((c) => String(c['cli']).startsWith(cli.slice(0, 6)))));

      const exact = cdrsOf(await transport.call('getAccountCDRs', [params({ cli })]));
      expect(ids(exact)).toEqual(ids(truth.filter((c) => c['cli'] === cli)));

      const underscore = `${cli.slice(0, -1)}_`;
      const one = cdrsOf(await transport.call('getAccountCDRs', [params({ cli: underscore })]));
      expect(ids(one)).toEqual(ids(truth.filter((c) => String(c['cli']).slice(0, -1) === cli.slice(0, -1) && String(c['cli']).length === cli.length)));

      const mobiles = cdrsOf(await transport.call('getAccountCDRs', [params({ cld: '905%' })]));
      expect(mobiles.length).toBeGreaterThan(0);
      expect(ids(mobiles)).toEqual(ids(truth.filter((c) => String(c['cld']).startsWith('905'))));
      // No implicit wildcard: a bare prefix matches nothing.
      expect(cdrsOf(await transport.call('getAccountCDRs', [params({ cld: '905' })]))).toEqual([]);
    });

    it('pages with offset/limit covering the set exactly once, in order', async () => {
      const truth = truthInWindow();
      const seen: number[] = [];
      for (let offset = 0; ; offset += 37) {
        const page = cdrsOf(await transport.call('getAccountCDRs', [params({ offset, limit: 37 })]));
        seen.push(...ids(page));
        if (page.length < 37) break;
      }
      expect(seen).toEqual(ids(truth));
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('faults on a date that is not format (b), an unknown type and unknown parameters', async () => {
      await expectFault(transport.call('getAccountCDRs', [{ start_date: '20261124T10:00:00' }]), -32602);
      await expectFault(transport.call('getAccountCDRs', [{ start_date: '10:00:00.000 GMT Mon Nov 24 2026' }]), -32602); // wrong weekday
      await expectFault(transport.call('getAccountCDRs', [{ type: 'everything' }]), -32602);
      await expectFault(transport.call('getAccountCDRs', [{ offset: -1 }]), -32602);
      await expectFault(transport.call('getAccountCDRs', [{ i_acount: 1042 }]), -32602);
    });

    it('shows CDRs when calls end: advancing the clock adds them, a long call arrives with an old connect_time', async () => {
      const before = sim.visibleCdrs().length;
      now += 10 * 60_000;
      const after = sim.visibleCdrs();
      expect(after.length).toBeGreaterThan(before);

      const added = sim.addCdr({ connect_time: new Date(now - 2 * HOUR), duration: 7200, cli: '905551234567', cld: '902129876543' });
      expect(added['disconnect_time']).toBe(formatSimTime(now));
      expect(Number(added['i_cdr'])).toBeGreaterThan(Math.max(...ids(after)));
      const old = cdrsOf(
        await transport.call('getAccountCDRs', [
          { start_date: formatSimTime(now - 2 * HOUR - 1000), end_date: formatSimTime(now - 2 * HOUR + 1000), type: 'all' },
        ]),
      );
      expect(old).toContainEqual(added);
      expect(added['country']).toBe('TURKEY');
      expect(added['area_name']).toBe('Istanbul (Europe)');
    });
  });

  describe('other methods', () => {
    it('getCustomerCDRs returns sub-customer rows (ground truth)', async () => {
      const value = await transport.call('getCustomerCDRs', [
        { start_date: formatSimTime(T0 - 5 * HOUR), end_date: formatSimTime(now + 1000), type: 'all' },
      ]);
      const cdrs = cdrsOf(value);
      const truth = sim
        .visibleCustomerCdrs()
        .filter((c) => connectOf(c) >= T0 - 5 * HOUR && connectOf(c) < now + 1000)
        .sort((a, b) => connectOf(b) - connectOf(a));
      expect(cdrs.length).toBeGreaterThan(0);
      // Rows carry no i_cdr, so ties on connect_time may come in any order: compare as sets + order of times.
      expect(cdrs.map((c) => c['i_call']).sort()).toEqual(truth.map((c) => c['i_call']).sort());
      expect(cdrs.map(connectOf)).toEqual(truth.map(connectOf));
      const byCall = new Map(truth.map((c) => [c['i_call'], c]));
      for (const c of cdrs) expect(c).toEqual(byCall.get(c['i_call']));
      expect(new Set(cdrs.map((c) => c['i_customer']))).toEqual(new Set([2, 3]));
      const only2 = cdrsOf(
        await transport.call('getCustomerCDRs', [{ i_customer: 2, start_date: formatSimTime(T0 - 5 * HOUR), type: 'all' }]),
      );
      expect(only2.every((c) => c['i_customer'] === 2)).toBe(true);
    });

    it('listAccounts pages accounts; getAccountInfo inverts the balance sign', async () => {
      const list = asStruct(await transport.call('listAccounts', [{ offset: 0, limit: 100 }]));
      const accounts = list['accounts'] as Cdr[];
      expect(list['result']).toBe('OK');
      expect(accounts.length).toBeGreaterThan(5);
      const page = asStruct(await transport.call('listAccounts', [{ offset: 1, limit: 2 }]))['accounts'] as Cdr[];
      expect(page).toEqual(accounts.slice(1, 3));

      const ist = accounts.find((a) => a['i_account'] === 1042);
      expect(ist?.['balance']).toBeGreaterThan(0);
      const info = asStruct(await transport.call('getAccountInfo', [{ i_account: 1042 }]));
      expect(info['balance']).toBe(-Number(ist?.['balance']));
      expect(info['username']).toBe(ist?.['username']);
      const byName = asStruct(await transport.call('getAccountInfo', [{ username: String(ist?.['username']) }]));
      expect(byName['i_account']).toBe(1042);
      await expectFault(transport.call('getAccountInfo', [{ i_account: 999_999 }]), 404);
    });

    it('getRegistrationStatus: OK for a registered account, fault 403 otherwise', async () => {
      const ok = asStruct(await transport.call('getRegistrationStatus', [{ i_account: 1042 }]));
      expect(ok['result']).toBe('OK');
      expect(ok['expires']).toMatch(/GMT/); // a string (toMatch fails on anything else)
      const error = await expectFault(transport.call('getRegistrationStatus', [{ i_account: 1046 }]), 403);
      expect(error.faultString).toBe('Account is not registered');
    });

    it('system.listMethods lists the methods; disabled, it is a fault', async () => {
      const methods = (await transport.call('system.listMethods', [])) as string[];
      expect(methods).toEqual(expect.arrayContaining(['getAccountCDRs', 'getCustomerCDRs', 'listAccounts', 'system.multicall']));
      const s = await startSim({ listMethods: false });
      const t = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD });
      try {
        await expectFault(t.call('system.listMethods', []), -32601);
      } finally {
        await t.close();
        await s.stop();
      }
    });

    it('system.multicall returns [result] per call and fault structs inline', async () => {
      const value = (await transport.call('system.multicall', [
        [
          { methodName: 'getAccountInfo', params: [{ i_account: 1042 }] },
          { methodName: 'getRegistrationStatus', params: [{ i_account: 1046 }] },
          { methodName: 'noSuchMethod', params: [] },
          { methodName: 'system.multicall', params: [[]] },
        ],
      ])) as XmlRpcValue[];
      expect(value).toHaveLength(4);
      expect(Array.isArray(value[0]) && asStruct((value[0])[0])['i_account']).toBe(1042);
      expect(value[1]).toEqual({ faultCode: 403, faultString: 'Account is not registered' });
      expect(asStruct(value[2])['faultCode']).toBe(-32601);
      expect(asStruct(value[3])['faultCode']).toBe(-32600);
    });

    it('an unknown method is a fault with HTTP 200', async () => {
      const res = await client.post('deleteEverything', []);
      expect(res.status).toBe(200);
      expect(res.body).toContain('<fault>');
      await expectFault(transport.call('deleteEverything', []), -32601);
    });

    it('listAllCalls shows calls in progress with UPPERCASE keys', async () => {
      const calls = (await transport.call('listAllCalls', [{}])) as Cdr[];
      expect(calls.length).toBeGreaterThan(0);
      expect(Object.keys(calls[0])).toEqual(expect.arrayContaining(['ID', 'CALL_ID', 'CLI', 'CLD', 'CC_STATE', 'SETUP_TIME']));
      expect(String(calls[0]['SETUP_TIME'])).toMatch(/^\d{8}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    });

    it('logs requests with method, redacted params and status', async () => {
      sim.clearRequestLog();
      await transport.call('getAccountInfo', [{ i_account: 1042 }]);
      await expectFault(transport.call('getAccountInfo', [{ i_account: 1042, password: 'hunter2' }]), -32602);
      const entries = sim.requestLog.filter((e) => e.status === 200);
      expect(entries.map((e) => e.method)).toEqual(['getAccountInfo', 'getAccountInfo']);
      expect(entries[1].params).toEqual([{ i_account: 1042, password: '***' }]);
      expect(entries[1].faultCode).toBe(-32602);
      expect(JSON.stringify(sim.requestLog)).not.toContain('hunter2');
      expect(entries[0].username).toBe(USER);
    });
  });

  describe('wire options', () => {
    it('ids above 2^31 go out as <i8>; ids/cost as strings and no setup_time on request', async () => {
      const s = await startSim({ idsAbove2p31: true });
      const alt = await startSim({ idsAsString: true, costAsString: true, includeSetupTime: false });
      try {
        const c1 = new SimTestClient({ url: s.url, username: USER, password: PASSWORD });
        const body = (await c1.post('getAccountCDRs', [{ type: 'all', limit: 1 }])).body;
        expect(body).toMatch(/<name>i_cdr<\/name><value><i8>\d{10,}<\/i8>/);
        const t = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD });
        const cdrs = cdrsOf(await t.call('getAccountCDRs', [{ type: 'all', limit: 3 }]));
        await t.close();
        expect(Number(cdrs[0]['i_cdr'])).toBeGreaterThan(2 ** 31);

        const c2 = new SimTestClient({ url: alt.url, username: USER, password: PASSWORD });
        const body2 = (await c2.post('getAccountCDRs', [{ type: 'all', limit: 1 }])).body;
        expect(body2).toMatch(/<name>i_cdr<\/name><value><string>\d+<\/string>/);
        expect(body2).toMatch(/<name>cost<\/name><value><string>[\d.]+<\/string>/);
        expect(body2).not.toContain('setup_time');
        expect(typeof alt.visibleCdrs()[0]['i_cdr']).toBe('string');
      } finally {
        await s.stop();
        await alt.stop();
      }
    });
  });

  describe('fault injection', () => {
    it('authFail: valid credentials get a 401 challenge loop, then recover', async () => {
      sim.faults.authFail({ times: 2 });
      await expect(transport.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'auth' });
      await expect(transport.call('listAccounts', [{}])).resolves.toBeDefined();
      expect(sim.faults.active).toHaveLength(0);
    });

    it('authFail without challenge sends a bare 401', async () => {
      sim.faults.authFail({ challenge: false });
      const res = await client.post('listAccounts', []);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBeUndefined();
    });

    it('http500 answers the given number of requests, then normal service', async () => {
      sim.faults.http500({ times: 2 });
      await expect(transport.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'http', httpStatus: 500 });
      await expect(transport.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'http', httpStatus: 500 });
      await expect(transport.call('listAccounts', [{}])).resolves.toBeDefined();
    });

    it('http500 for unauthenticated requests hits the bare first request', async () => {
      sim.faults.http500({ status: 503, unauthenticated: true });
      const fresh = new SimTestClient({ url: sim.url, username: USER, password: PASSWORD });
      expect((await fresh.post('listAccounts', [])).status).toBe(503);
      expect((await fresh.post('listAccounts', [])).status).toBe(200);
    });

    it('xmlRpcFault with a method filter only hits that method, also inside system.multicall', async () => {
      sim.faults.xmlRpcFault({ faultCode: 500, faultString: 'Database busy', method: 'getAccountCDRs', times: 2 });
      await expect(transport.call('listAccounts', [{}])).resolves.toBeDefined();
      const error = await expectFault(transport.call('getAccountCDRs', [{}]), 500);
      expect(error.faultString).toBe('Database busy');
      const multi = (await transport.call('system.multicall', [
        [
          { methodName: 'listAccounts', params: [{ limit: 1 }] },
          { methodName: 'getAccountCDRs', params: [{}] },
        ],
      ])) as XmlRpcValue[];
      expect(Array.isArray(multi[0])).toBe(true);
      expect(multi[1]).toEqual({ faultCode: 500, faultString: 'Database busy' });
      await expect(transport.call('getAccountCDRs', [{}])).resolves.toBeDefined();
    });

    it('malformed sends broken XML with 200', async () => {
      sim.faults.malformed();
      await expect(transport.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'malformed' });
    });

    it('truncate cuts the body mid-way and closes the connection', async () => {
      sim.faults.truncate({ fraction: 0.5 });
      await expect(client.post('getAccountCDRs', [{ type: 'all' }])).rejects.toBeDefined();
      sim.faults.truncate({ fraction: 0.3 });
      await expect(transport.call('getAccountCDRs', [{ type: 'all' }])).rejects.toBeInstanceOf(SippyError);
      await expect(transport.call('listAccounts', [{}])).resolves.toBeDefined();
    });

    it('slow delays the answer', async () => {
      sim.faults.slow({ ms: 150 });
      const started = Date.now();
      await transport.call('listAccounts', [{}]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('drop destroys the socket without an answer', async () => {
      sim.faults.drop();
      await expect(transport.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'unreachable' });
      await expect(transport.call('listAccounts', [{}])).resolves.toBeDefined();
    });

    it('hang never answers; the client times out; stop() still closes promptly', async () => {
      const s = await startSim();
      const t = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD, timeoutMs: 5000 });
      try {
        await t.call('listAccounts', [{}]);
        s.faults.hang({ times: 'always' });
        await expect(t.call('listAccounts', [{}], { timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
        const raw = new SimTestClient({ url: s.url, username: USER, password: PASSWORD, timeoutMs: 10_000 });
        const pending = raw.post('listAccounts', []).then(
          () => 'answered',
          () => 'closed',
        );
        await new Promise((r) => setTimeout(r, 50));
        const stopped = Date.now();
        await s.stop();
        expect(Date.now() - stopped).toBeLessThan(1000);
        expect(await pending).toBe('closed');
      } finally {
        await t.close();
        await s.stop();
      }
    });

    it("times: 'always' keeps firing until clear()", async () => {
      sim.faults.http500({ times: 'always', method: 'listAccounts' });
      for (let i = 0; i < 3; i++) await expect(transport.call('listAccounts', [{}])).rejects.toMatchObject({ httpStatus: 500 });
      expect(sim.faults.active[0].hits).toBe(3);
      sim.faults.clear();
      await expect(transport.call('listAccounts', [{}])).resolves.toBeDefined();
    });

    it('rejects bad fault options', () => {
      expect(() => sim.faults.http500({ times: 0 })).toThrow(RangeError);
      expect(() => sim.faults.http500({ status: 200 })).toThrow(RangeError);
      expect(() => sim.faults.truncate({ fraction: 1 })).toThrow(RangeError);
    });
  });

  describe('down()/up() and TLS', () => {
    it('down() makes the switch disappear; up() brings it back on the same port', async () => {
      const s = await startSim();
      const t = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD, timeoutMs: 2000 });
      try {
        const url = s.url;
        await t.call('listAccounts', [{}]);
        await s.faults.down();
        expect(s.isListening).toBe(false);
        await expect(t.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'unreachable' });
        await s.up();
        expect(s.url).toBe(url);
        await expect(t.call('listAccounts', [{}])).resolves.toBeDefined();
      } finally {
        await t.close();
        await s.stop();
      }
    });

    it('serves HTTPS with a self-signed certificate', async () => {
      const s = await startSim({ tls: true });
      try {
        expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/xmlapi\/xmlapi$/);
        expect(s.certificatePem).toContain('BEGIN CERTIFICATE');

        const trusting = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD, tls: { ca: s.certificatePem } });
        const cdrs = cdrsOf(await trusting.call('getAccountCDRs', [{ type: 'all', limit: 5 }]));
        expect(cdrs).toHaveLength(5);
        await trusting.close();

        const strict = new DigestXmlRpcTransport({ url: s.url, username: USER, password: PASSWORD });
        await expect(strict.call('listAccounts', [{}])).rejects.toMatchObject({ kind: 'tls' });
        await strict.close();

        const independent = new SimTestClient({ url: s.url, username: USER, password: PASSWORD, ca: s.certificatePem });
        expect((await independent.post('listAccounts', [])).status).toBe(200);

        const untrusted = await new Promise<string>((resolve) => {
          const req = httpsRequest(s.url, { method: 'POST', agent: false }, () => { resolve('connected'); });
          req.on('error', (e: NodeJS.ErrnoException) => { resolve(String(e.code)); });
          req.end();
        });
        expect(untrusted).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      } finally {
        await s.stop();
      }
    });
  });

  it('TestClientError carries fault details', async () => {
    const error = await client.call('noSuchMethod', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestClientError);
    expect((error as TestClientError).faultCode).toBe(-32601);
  });
});

import type { DetectionBacktestResult, DetectionFindingDetail, DetectionFindingPage, DetectionRule } from '@velora/contracts';
import type { Cdr } from '@velora/sippy';
import { makeCdr } from '@velora/sippy/testing';
import { ACCOUNTS } from '@velora/sippy/simulator';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CdrRepository, type CdrUpsertInput } from '../../apps/api/src/cdrs/cdr.repository';
import { DetectionRunner } from '../../apps/api/src/detection/detection-runner.service';
import { countryRecord, writeMmdb } from '../support/mmdb-writer';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeEachDatabase } from '../support/test-database';

/**
 * source_change end to end: a generated GeoLite2-Country-shaped file (GEOIP_DATABASE_PATH), the simulator's accounts
 * with their usual IP and user agent over the previous days, then one of them calling from a new country (and one
 * with a new user agent): findings with the reasons, the per-account source counts kept by the runner, the backtest.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TODAY = Math.floor(Date.now() / DAY) * DAY;
const NOW = Date.now();
let seq = 0;

const account = (id: number) => {
  const found = ACCOUNTS.find((a) => a.i_account === id);
  if (found === undefined) throw new Error(`no simulator account ${String(id)}`);
  return found;
};
const CALL_CENTRE = account(1042); // 203.0.113.45, Asterisk
const OFFICE = account(1043);

function call(acc: { i_account: number; numbers: readonly string[] }, at: number, remoteIp: string, userAgent: string): CdrUpsertInput {
  seq += 1;
  const cdr: Cdr = makeCdr({
    id: `src-${String(seq)}`,
    call_id: `src-${String(seq)}@test`,
    caller: acc.numbers[0],
    callee: `90532${String(1_000_000 + seq)}`,
    account: String(acc.i_account),
    direction: 'outbound',
    remote_ip: remoteIp,
    start_time: new Date(at).toISOString(),
    end_time: new Date(at + 60_000).toISOString(),
    duration: 60,
  });
  return { cdr, raw: { i_cdr: cdr.id, remote_ip: remoteIp, user_agent: userAgent }, source: 'test' };
}

/** 10 calls a day on the 2nd to 4th day before today (inside any 30-day baseline of a window of today or yesterday). */
function usualTraffic(acc: { i_account: number; numbers: readonly string[]; remoteIp: string; userAgent: string }): CdrUpsertInput[] {
  return [2, 3, 4].flatMap((d) =>
    Array.from({ length: 10 }, (_, i) => call(acc, TODAY - d * DAY + 9 * HOUR + i * 600_000, acc.remoteIp, acc.userAgent)),
  );
}

describeEachDatabase('Detection: source country and user agent (source_change)', ({ getUrl }) => {
  let api: TestApp;
  let runner: DetectionRunner;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'velora-geoip-e2e-'));
    const path = join(dir, 'country.mmdb');
    await writeFile(
      path,
      writeMmdb([
        { cidr: '203.0.113.0/24', data: countryRecord('TR', 'Türkiye') },
        { cidr: '198.51.100.0/24', data: countryRecord('TR', 'Türkiye') },
        { cidr: '41.58.0.0/16', data: countryRecord('NG', 'Nigeria') },
        { cidr: '102.176.0.0/16', data: countryRecord('GH', 'Ghana') },
      ]),
    );
    api = await startTestApp({
      DATABASE_URL: getUrl(),
      DETECTION_ENABLED: 'false',
      GEOIP_DATABASE_PATH: path,
      DETECTION_SOURCE_EXCLUDED_COUNTRIES: 'gh',
    });
    runner = api.app.get(DetectionRunner);
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const store = (rows: CdrUpsertInput[]) => api.app.get(CdrRepository).upsertMany(rows);
  const findings = async (query: Record<string, string>): Promise<DetectionFindingPage> =>
    (
      await api
        .http()
        .get('/api/detection/findings')
        .query({ rule: 'source_change', ...query })
        .expect(200)
    ).body as DetectionFindingPage;

  it('raises a finding on the first calls of an account from a new country, and on a new user agent', async () => {
    // the baseline days: stable IP and user agent per account (a new account with 5 calls too)
    const newcomer = { i_account: 9042, numbers: ['902129998877'], remoteIp: '203.0.113.77', userAgent: 'Yealink SIP-T46S' };
    await store([...usualTraffic(CALL_CENTRE), ...usualTraffic(OFFICE), ...usualTraffic(newcomer).slice(0, 5)]);
    expect((await runner.runNow()).cdrs).toBe(65);
    expect((await findings({})).items).toEqual([]);

    const t = NOW - 30 * 60_000;
    const fromNigeria = [
      call(CALL_CENTRE, t, '41.58.10.7', CALL_CENTRE.userAgent),
      call(CALL_CENTRE, t + 60_000, '41.58.10.7', CALL_CENTRE.userAgent),
    ];
    await store([
      call(CALL_CENTRE, t - 60_000, CALL_CENTRE.remoteIp, CALL_CENTRE.userAgent),
      ...fromNigeria,
      call(OFFICE, t, OFFICE.remoteIp, 'friendly-scanner'),
      call(OFFICE, t + 1000, '102.176.3.4', OFFICE.userAgent), // Ghana: excluded
      call(newcomer, t, '41.58.10.9', newcomer.userAgent), // too few baseline calls
    ]);
    await runner.runNow();

    const country = (await findings({ subject: String(CALL_CENTRE.i_account) })).items;
    expect(country).toHaveLength(1);
    expect(country[0]).toMatchObject({ subject_type: 'account', level: 'warn', score: 1, cdr_count: 2, mode: 'active' });
    expect(country[0].reason_en).toBe(
      `First call from NG (Nigeria) for account 1042 in 30 days; usual: TR; IP 41.58.10.7; UA ${CALL_CENTRE.userAgent}`,
    );
    expect(country[0].reason_tr).toBe(
      `1042 hesabı için 30 gün içinde NG (Nijerya) kaynaklı ilk çağrı; olağan: TR; IP 41.58.10.7; UA ${CALL_CENTRE.userAgent}`,
    );
    expect(country[0].evidence).toMatchObject({
      new_countries: [{ country: 'NG', calls: 2 }],
      usual_countries: ['TR'],
      baseline_calls: 30,
    });
    const detail = (await api.http().get(`/api/detection/findings/${country[0].id}`).expect(200)).body as DetectionFindingDetail;
    expect(detail.cdr_ids.sort()).toEqual(fromNigeria.map((r) => r.cdr.id).sort());

    const ua = (await findings({ subject: String(OFFICE.i_account) })).items;
    expect(ua).toHaveLength(1);
    expect(ua[0]).toMatchObject({ level: 'warn', score: 0, cdr_count: 1 });
    expect(ua[0].reason_en).toBe(
      `New user agent friendly-scanner for account 1043 (usual in 30 days: ${OFFICE.userAgent}); IP ${OFFICE.remoteIp}`,
    );
    expect((await findings({ subject: '9042' })).items).toEqual([]);

    const rules = (await api.http().get('/api/detection/rules').expect(200)).body as DetectionRule[];
    expect(rules.find((r) => r.rule === 'source_change')).toMatchObject({ enabled: true, warn: 1, crit: 2, subject_type: 'account' });
  });

  it('backtests the rule over the stored range against the baseline before it', async () => {
    const body = { rule: 'source_change', from: new Date(TODAY - DAY).toISOString(), to: new Date(NOW + 60_000).toISOString() };
    const result = (await api.http().post('/api/detection/backtest').send(body).expect(200)).body as DetectionBacktestResult;
    expect(result.findings.map((f) => f.subject).sort()).toEqual(['1042', '1043']);
  });
});

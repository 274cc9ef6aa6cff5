import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { describeEachDatabase, openDatabaseService } from '../../../../test/support/test-database';
import { AppSettingsRepository } from '../auth/app-settings.repository';
import { AppConfig } from '../config/app-config';
import type { DatabaseService } from '../database/database.service';
import { IntegrationSettingsRepository } from './integration-settings.repository';
import { IntegrationSettingsStore } from './integration-settings.store';
import { SettingsKeyService } from './settings-key.service';

jest.setTimeout(60_000);

const PASSWORD = 'Saved-Sw1tch-Password';

describeEachDatabase('IntegrationSettingsStore', ({ getUrl }) => {
  let database: DatabaseService;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await openDatabaseService(getUrl());
  });

  afterAll(async () => {
    await database.close();
  });

  beforeEach(async () => {
    await sql`truncate integration_settings, app_settings`.execute(database.db);
  });

  function store(env: Record<string, string> = {}): { store: IntegrationSettingsStore; config: AppConfig } {
    const config = AppConfig.fromEnv(env);
    const s = new IntegrationSettingsStore(
      new IntegrationSettingsRepository(database),
      new SettingsKeyService(config, new AppSettingsRepository(database)),
      config,
    );
    return { store: s, config };
  }

  const values = {
    url: 'https://sw.example.net/xmlapi/xmlapi',
    username: 'api',
    password: PASSWORD,
    tls_verify: true,
    ca_pem: null,
    cdr_type: 'all',
  };

  it('returns null for an integration never saved', async () => {
    await expect(store().store.load('sippy')).resolves.toBeNull();
    await expect(store().store.versions()).resolves.toEqual(new Map());
  });

  it('stores the secret only as AES-256-GCM ciphertext and reads it back', async () => {
    const { store: s, config } = store();
    const version = await s.save('sippy', values, ['password'], 'admin@velora.test');
    expect(version).toBe(1);
    const row = await database.db.selectFrom('integration_settings').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(row.settings).toEqual({ url: values.url, username: 'api', tls_verify: true, ca_pem: null, cdr_type: 'all' });
    expect(Object.keys(row.secrets)).toEqual(['password']);
    expect(row.secrets['password']).toMatchObject({ v: 1, alg: 'A256GCM' });
    expect(row.updated_by).toBe('admin@velora.test');
    // a fresh process (new key service, same database) decrypts it with the kept key
    const loaded = await store().store.load('sippy');
    expect(loaded).toMatchObject({ version: 1, updatedBy: 'admin@velora.test', error: null, values });
    // the secret is scrubbed from the logs from now on
    expect(config.secretValues()).toContain(PASSWORD);
  });

  it('generates the key once and keeps it in app_settings (the first writer wins)', async () => {
    await store().store.save('sippy', values, ['password'], null);
    const keys = await database.db
      .selectFrom('app_settings')
      .select(['key', 'value'])
      .where('key', '=', 'settings.encryption_key')
      .execute();
    expect(keys).toHaveLength(1);
    expect(typeof keys[0]?.value).toBe('string');
    expect(String(keys[0]?.value).length).toBeGreaterThanOrEqual(32);
  });

  it('uses SETTINGS_ENCRYPTION_KEY when set, and says so when the key changed', async () => {
    const env = { SETTINGS_ENCRYPTION_KEY: 'configured-settings-key-0123456789abcdef' };
    await store(env).store.save(
      'issabel',
      { host: 'pbx', port: 5038, username: 'u', secret: 'ami-Secret-1', tls: false, tls_verify: true },
      ['secret'],
      null,
    );
    expect(await database.db.selectFrom('app_settings').selectAll().execute()).toEqual([]); // nothing generated
    await expect(store(env).store.load('issabel')).resolves.toMatchObject({ error: null, values: { secret: 'ami-Secret-1' } });
    const other = await store({ SETTINGS_ENCRYPTION_KEY: 'a-different-settings-key-0123456789abcd' }).store.load('issabel');
    expect(other).toMatchObject({ version: 1, values: null });
    expect(other?.error).toContain('another key');
    expect(other?.error).not.toContain('ami-Secret-1');
  });

  it('bumps the version at every save and clear; a clear keeps the row with nothing in it', async () => {
    const { store: s } = store();
    await s.save('elevenlabs', { api_key: 'sk_first_key_0001' }, ['api_key'], 'a@x');
    await s.save('elevenlabs', { api_key: 'sk_second_key_002' }, ['api_key'], 'b@x');
    await expect(s.load('elevenlabs')).resolves.toMatchObject({ version: 2, updatedBy: 'b@x', values: { api_key: 'sk_second_key_002' } });
    await expect(s.clear('elevenlabs', 'c@x')).resolves.toBe(3);
    await expect(s.load('elevenlabs')).resolves.toMatchObject({ version: 3, updatedBy: 'c@x', values: null, error: null });
    await s.save('sippy', values, ['password'], null);
    await expect(s.versions()).resolves.toEqual(
      new Map([
        ['elevenlabs', 3],
        ['sippy', 1],
      ]),
    );
  });

  it('reports an altered ciphertext instead of failing the load', async () => {
    const { store: s } = store();
    await s.save('sippy', values, ['password'], null);
    await sql`update integration_settings set secrets = jsonb_set(secrets, '{password,tag}', '"AAAAAAAAAAAAAAAAAAAAAA=="')`.execute(
      database.db,
    );
    const loaded = await s.load('sippy');
    expect(loaded?.values).toBeNull();
    expect(loaded?.error).toContain('integrity');
  });

  it('only knows the three integrations (check constraint)', async () => {
    await expect(
      sql`insert into integration_settings (integration, settings, secrets, version) values ('other', '{}', '{}', 1)`.execute(database.db),
    ).rejects.toThrow();
  });
});

import { makeRawSippyCdr } from '@velora/sippy/testing';
import { AppConfig } from '../config/app-config';
import { CdrNormalizerService } from './cdr-normalizer.service';

const simulatorDid = '902123456700'; // a DID of the simulator's account 1042

describe('CdrNormalizerService', () => {
  it('applies the configured direction rules and default currency', () => {
    const service = new CdrNormalizerService(
      AppConfig.fromEnv({ SIPPY_RPC_URL: 'https://sw.example/xmlapi/xmlapi', SIPPY_LOCAL_NUMBER_PREFIXES: '90212555', SIPPY_DEFAULT_CURRENCY: 'TRY' }),
    );
    const inbound = service.normalize(makeRawSippyCdr({ cli: '905321112233', cld: '902125550001' }));
    expect(inbound).toMatchObject({ direction: 'inbound', currency: 'TRY' });
    const outbound = service.normalize(makeRawSippyCdr({ cli: '902125550001', cld: '905321112233' }));
    expect(outbound.direction).toBe('outbound');
  });

  it('prefers the account currency the sync read from listAccounts', () => {
    const service = new CdrNormalizerService(AppConfig.fromEnv({ SIPPY_RPC_URL: 'https://sw.example/xmlapi/xmlapi', SIPPY_DEFAULT_CURRENCY: 'TRY' }));
    expect(service.normalize(makeRawSippyCdr(), { accountCurrency: 'USD' }).currency).toBe('USD');
  });

  it('keeps each record on its own account currency when currencies alternate (options reused per currency)', () => {
    const service = new CdrNormalizerService(AppConfig.fromEnv({ SIPPY_RPC_URL: 'https://sw.example/xmlapi/xmlapi', SIPPY_DEFAULT_CURRENCY: 'TRY' }));
    const currencies = ['USD', 'EUR', undefined, 'USD', 'GBP', undefined, 'EUR'];
    expect(currencies.map((accountCurrency) => service.normalize(makeRawSippyCdr(), { accountCurrency }).currency)).toEqual([
      'USD', 'EUR', 'TRY', 'USD', 'GBP', 'TRY', 'EUR',
    ]);
  });

  it('in simulator mode treats the simulator DIDs as our numbers (inbound calls show as inbound)', () => {
    const simulator = new CdrNormalizerService(AppConfig.fromEnv({ NODE_ENV: 'development' }));
    expect(simulator.normalize(makeRawSippyCdr({ cli: '905321112233', cld: simulatorDid })).direction).toBe('inbound');
    const live = new CdrNormalizerService(AppConfig.fromEnv({ SIPPY_RPC_URL: 'https://sw.example/xmlapi/xmlapi' }));
    expect(live.normalize(makeRawSippyCdr({ cli: '905321112233', cld: simulatorDid })).direction).toBe('outbound');
  });
});

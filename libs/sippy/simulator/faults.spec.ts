import { FaultController, PERMISSION_FAULT, TRANSIENT_FAULT } from './faults';
import { mulberry32 } from './random';

describe('FaultController', () => {
  it('fires a fault the given number of times, in insertion order', () => {
    const f = new FaultController();
    f.http500({ times: 2 });
    f.malformed();
    expect(f.takeTerminal('listAccounts', true)?.kind).toBe('http500');
    expect(f.takeTerminal('listAccounts', true)?.kind).toBe('http500');
    expect(f.takeTerminal('listAccounts', true)?.kind).toBe('malformed');
    expect(f.takeTerminal('listAccounts', true)).toBeUndefined();
    expect(f.active).toEqual([]);
  });

  it('filters by method and by authentication state', () => {
    const f = new FaultController();
    f.drop({ method: ['getAccountCDRs', 'getCustomerCDRs'] });
    f.http500({ unauthenticated: true });
    expect(f.takeTerminal('listAccounts', true)).toBeUndefined();
    expect(f.takeTerminal(null, true)).toBeUndefined();
    expect(f.takeTerminal('getCustomerCDRs', true)?.kind).toBe('drop');
    expect(f.takeTerminal('listAccounts', true)).toBeUndefined();
    expect(f.takeTerminal('listAccounts', false)?.kind).toBe('http500');
  });

  it("keeps 'always' faults and counts hits until clear()", () => {
    const f = new FaultController();
    f.hang({ times: 'always' });
    for (let i = 0; i < 5; i++) expect(f.takeTerminal('x', true)?.kind).toBe('hang');
    expect(f.active[0].hits).toBe(5);
    f.clear();
    expect(f.takeTerminal('x', true)).toBeUndefined();
  });

  it('separates slow and authFail from the answer-replacing faults', () => {
    const f = new FaultController();
    f.slow({ ms: 10 });
    f.authFail({ challenge: false });
    f.xmlRpcFault({ faultCode: 7, faultString: 'boom' });
    expect(f.takeSlow('m', true)).toBe(10);
    expect(f.takeAuthFail('m')).toEqual({ kind: 'authFail', challenge: false });
    expect(f.takeTerminal('m', true)).toEqual({ kind: 'xmlRpcFault', faultCode: 7, faultString: 'boom' });
  });

  it('hands method-filtered xmlRpcFaults to multicall entries', () => {
    const f = new FaultController();
    f.xmlRpcFault({ method: 'getAccountCDRs', faultCode: 500, faultString: 'busy' });
    expect(f.takeTerminal('system.multicall', true)).toBeUndefined();
    expect(f.takeInnerFault('listAccounts')).toBeUndefined();
    expect(f.takeInnerFault('getAccountCDRs')).toEqual({ faultCode: 500, faultString: 'busy' });
    expect(f.takeInnerFault('getAccountCDRs')).toBeUndefined();
  });

  it('removes a single fault', () => {
    const f = new FaultController();
    const a = f.drop({ times: 'always' });
    f.malformed();
    f.remove(a);
    expect(f.takeTerminal('x', true)?.kind).toBe('malformed');
  });

  it('validates options and needs a simulator for down()/up()', async () => {
    const f = new FaultController();
    expect(() => f.slow({ ms: -1 })).toThrow(RangeError);
    expect(() => f.drop({ times: 1.5 })).toThrow(RangeError);
    expect(() => f.xmlRpcFault({ faultCode: 1.5 })).toThrow(RangeError);
    await expect(f.down()).rejects.toThrow(/not attached/);
  });

  it('refuses methods with a permission fault on every call', () => {
    const f = new FaultController();
    f.refuseMethods('listAccounts');
    for (let i = 0; i < 3; i++) {
      expect(f.takeTerminal('listAccounts', true)).toEqual({ kind: 'xmlRpcFault', ...PERMISSION_FAULT });
    }
    expect(f.takeTerminal('getAccountCDRs', true)).toBeUndefined();
  });

  it('answers a seeded share of the calls with a transient fault (rate), repeatably', () => {
    const draw = (seed: number): boolean[] => {
      const f = new FaultController(mulberry32(seed));
      f.transientFaults({ rate: 0.25, method: 'getAccountCDRs' });
      return Array.from({ length: 2000 }, () => f.takeTerminal('getAccountCDRs', true) !== undefined);
    };
    const first = draw(7);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect(draw(7)).toEqual(first);
    expect(draw(8)).not.toEqual(first);
    const f = new FaultController(() => 0.99);
    f.transientFaults({ rate: 0.5 });
    expect(f.takeTerminal('getAccountCDRs', true)).toBeUndefined();
    const g = new FaultController(() => 0.01);
    g.transientFaults({ rate: 0.5 });
    expect(g.takeTerminal('getAccountCDRs', true)).toEqual({ kind: 'xmlRpcFault', ...TRANSIENT_FAULT });
    expect(() => g.transientFaults({ rate: 0 })).toThrow(RangeError);
    expect(() => g.transientFaults({ rate: 1.5 })).toThrow(RangeError);
  });

  it('delays every matching call with latency()', () => {
    const f = new FaultController();
    f.latency({ ms: 200 });
    expect(f.takeSlow('getAccountCDRs', true)).toBe(200);
    expect(f.takeSlow('listAccounts', true)).toBe(200);
  });
});

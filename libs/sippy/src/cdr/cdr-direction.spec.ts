import { parseCdrDirection, resolveCdrDirection, type CdrDirectionInput } from './cdr-direction';

const input = (overrides: Partial<CdrDirectionInput>): CdrDirectionInput => ({
  explicit: null,
  account: null,
  caller: null,
  callee: null,
  ...overrides,
});

describe('parseCdrDirection', () => {
  it.each([
    ['in', 'inbound'],
    ['Inbound', 'inbound'],
    [' INCOMING ', 'inbound'],
    ['gelen', 'inbound'],
    ['GELEN', 'inbound'],
    ['out', 'outbound'],
    ['OUTBOUND', 'outbound'],
    ['outgoing', 'outbound'],
    ['giden', 'outbound'],
    ['internal', 'internal'],
    ['dahili', 'internal'],
    ['local', 'internal'],
    ['unknown', 'unknown'],
  ])('%j → %s', (value, expected) => {
    expect(parseCdrDirection(value)).toBe(expected);
  });

  it.each(['', '  ', 'sideways', 1, null, undefined, {}])('%p → null', (value) => {
    expect(parseCdrDirection(value)).toBeNull();
  });
});

describe('resolveCdrDirection', () => {
  const rules = {
    inboundAccounts: ['2001'],
    outboundAccounts: ['1042'],
    localNumberPrefixes: ['+90 212 555', '90216444'],
    internalMaxDigits: 4,
  };

  it('prefers an explicit direction over every rule', () => {
    expect(resolveCdrDirection(input({ explicit: 'gelen', account: '1042' }), rules)).toBe('inbound');
    expect(resolveCdrDirection(input({ explicit: 'out', caller: '100', callee: '101' }), rules)).toBe('outbound');
  });

  it('ignores an unrecognised or "unknown" explicit value and falls through to the rules', () => {
    expect(resolveCdrDirection(input({ explicit: 'sideways', account: '2001' }), rules)).toBe('inbound');
    expect(resolveCdrDirection(input({ explicit: 'unknown', account: '2001' }), rules)).toBe('inbound');
  });

  it('applies the account lists (inbound list first)', () => {
    expect(resolveCdrDirection(input({ account: '2001', caller: '902125551234' }), rules)).toBe('inbound');
    expect(resolveCdrDirection(input({ account: '1042', callee: '902125551234' }), rules)).toBe('outbound');
    expect(resolveCdrDirection(input({ account: '7' }), { inboundAccounts: ['7'], outboundAccounts: ['7'] })).toBe(
      'inbound',
    );
  });

  it('marks two short extensions as internal', () => {
    expect(resolveCdrDirection(input({ caller: '101', callee: '2002' }), rules)).toBe('internal');
    expect(resolveCdrDirection(input({ caller: '101', callee: '20021' }), rules)).toBe('outbound');
    expect(resolveCdrDirection(input({ caller: '+101', callee: '102' }), rules)).toBe('outbound');
    expect(resolveCdrDirection(input({ caller: '101', callee: null }), rules)).toBe('outbound');
  });

  it('uses our number prefixes on digits only: callee → inbound, caller → outbound, both → internal', () => {
    expect(resolveCdrDirection(input({ caller: '905321234567', callee: '+902125551234' }), rules)).toBe('inbound');
    expect(resolveCdrDirection(input({ caller: '902164440000', callee: '4915112345678' }), rules)).toBe('outbound');
    expect(resolveCdrDirection(input({ caller: '902164440000', callee: '902125550000' }), rules)).toBe('internal');
    expect(resolveCdrDirection(input({ caller: 'anonymous', callee: '905321234567' }), rules)).toBe('outbound');
  });

  it("defaults to 'outbound', or to the configured default", () => {
    expect(resolveCdrDirection(input({}))).toBe('outbound');
    expect(resolveCdrDirection(input({ caller: '1', callee: '2' }))).toBe('outbound');
    expect(resolveCdrDirection(input({}), { default: 'unknown' })).toBe('unknown');
  });

  it('ignores empty prefixes and non-positive internalMaxDigits', () => {
    expect(resolveCdrDirection(input({ callee: '123' }), { localNumberPrefixes: ['', '+'] })).toBe('outbound');
    expect(resolveCdrDirection(input({ caller: '1', callee: '2' }), { internalMaxDigits: 0 })).toBe('outbound');
  });
});

import type { VeloraEvent } from '@velora/contracts';
import { makeCdr } from '@velora/sippy/testing';
import type { AppSettingsRepository } from '../auth/app-settings.repository';
import { NumberMaskingService, UserMasker } from './number-masking.service';
import { normalize, PrivacySettingsService } from './privacy-settings.service';

function service(stored: unknown): NumberMaskingService {
  const repository = { get: () => Promise.resolve(stored), set: () => Promise.resolve() } as unknown as AppSettingsRepository;
  return new NumberMaskingService(new PrivacySettingsService(repository));
}

const finding = (subject: string): VeloraEvent => ({
  id: 7,
  at: '2026-12-04T10:00:00.000Z',
  type: 'finding',
  level: 'crit',
  data: { id: 'f', rule: 'wangiri', level: 'crit', subject, reason_en: `calls from ${subject}`, reason_tr: `${subject} aramaları` },
});

describe('NumberMaskingService', () => {
  it('masks nothing while masking is off (the default), for every role', async () => {
    const masking = service(undefined);
    const row = makeCdr({ caller: '905321234567' });
    expect(await masking.shouldMask({ role: 'agent' })).toBe(false);
    expect(await masking.maskCdr(row, { role: 'agent' })).toBe(row);
    expect(await masking.maskNumber('905321234567', { role: 'agent' })).toBe('905321234567');
  });

  it('masks only the roles listed, and lets only the reveal roles reveal', async () => {
    const masking = service({ masking_enabled: true, masked_roles: ['agent'], reveal_roles: ['admin'] });
    expect(await masking.shouldMask({ role: 'agent' })).toBe(true);
    expect(await masking.shouldMask({ role: 'admin' })).toBe(false);
    expect(await masking.canReveal({ role: 'agent' })).toBe(false);
    expect(await masking.canReveal({ role: 'admin' })).toBe(true);
    const masked = await masking.maskCdr(makeCdr({ caller: '905321234567', callee: '1001', call_id: 'a905321234567b' }), { role: 'agent' });
    expect([masked.caller, masked.callee, masked.call_id]).toEqual(['+90 532 *** ** 67', '1001', 'a+90 532 *** ** 67b']);
  });

  it('masks the subject and reasons of a finding event for a masked viewer only', async () => {
    const masking = service({ masking_enabled: true, masked_roles: ['agent'], reveal_roles: [] });
    await masking.shouldMask({ role: 'agent' }); // loads the settings the synchronous path uses
    const event = finding('+905321234567');
    expect(masking.maskEvent(event, { role: 'admin' })).toBe(event);
    expect(masking.maskEvent(event, { role: 'agent' })).toMatchObject({
      data: { subject: '+90 532 *** ** 67', reason_en: 'calls from +90 532 *** ** 67', reason_tr: '+90 532 *** ** 67 aramaları' },
    });
    // a prefix or an account is no full number: left as it is
    expect(masking.maskEvent(finding('90900'), { role: 'agent' })).toMatchObject({ data: { subject: '90900' } });
  });
});

describe('UserMasker.exactNumbers', () => {
  it('passes the substring search through for unmasked users and demands a full number from masked ones', () => {
    expect(new UserMasker(false).exactNumbers('caller', '532')).toBeUndefined();
    expect(new UserMasker(true).exactNumbers('caller', undefined)).toBeUndefined();
    expect(new UserMasker(true).exactNumbers('caller', '+90 532 123 45 67')).toContain('905321234567');
    expect(() => new UserMasker(true).exactNumbers('callee', '532')).toThrow(expect.objectContaining({ status: 400 }) as Error);
  });
});

describe('normalize (stored privacy settings)', () => {
  it('drops unknown roles, fills missing fields from the defaults and orders the roles', () => {
    expect(normalize({ masking_enabled: true, masked_roles: ['boss', 'agent', 'admin'] })).toEqual({
      masking_enabled: true,
      masked_roles: ['admin', 'agent'],
      reveal_roles: ['admin', 'agent'],
    });
    expect(normalize('garbage')).toEqual({ masking_enabled: false, masked_roles: ['agent'], reveal_roles: ['admin', 'agent'] });
  });
});

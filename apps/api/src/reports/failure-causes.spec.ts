import { failureCauseName, INTERNAL_CAUSE_CODES, INTERNAL_TR_CODES } from './failure-causes';

describe('failure cause names', () => {
  it('names SIP codes and Sippy internal rejects in English and Turkish', () => {
    expect(failureCauseName(486)).toEqual({ en: '486 Busy Here', tr: '486 Meşgul' });
    expect(failureCauseName(503)).toEqual({ en: '503 Service Unavailable', tr: '503 Hizmet kullanılamıyor' });
    expect(failureCauseName(-20)).toEqual({ en: '-20 Insufficient balance', tr: '-20 Yetersiz bakiye' });
    expect(failureCauseName(-28)).toEqual({ en: '-28 Blocked by DNCL', tr: '-28 DNCL tarafından engellendi' });
    expect(failureCauseName(0)).toEqual({ en: '0 Success without talk time', tr: '0 Başarılı, konuşma süresi yok' });
    expect(failureCauseName(200)).toEqual({ en: '200 OK', tr: '200 Başarılı' });
  });

  it('falls back for codes without a name', () => {
    expect(failureCauseName(-99)).toEqual({ en: '-99 Sippy internal reject -99', tr: '-99 Sippy iç reddi -99' });
    expect(failureCauseName(499).en).toBe('499 SIP 499');
    expect(failureCauseName(null)).toEqual({ en: 'No result code', tr: 'Sonuç kodu yok' });
    expect(failureCauseName(900).tr).toBe('Bilinmeyen sonuç 900');
  });

  it('every Sippy internal code has a Turkish name', () => {
    expect(INTERNAL_TR_CODES.sort((a, b) => a - b)).toEqual(INTERNAL_CAUSE_CODES.sort((a, b) => a - b));
  });
});

import { describeSippyResult, SIP_REASON_PHRASES, SIPPY_INTERNAL_RESULTS } from '@velora/sippy';

/** A failure cause (Sippy `result`) named in both UI languages. */
export interface FailureCauseName {
  en: string;
  tr: string;
}

/** Turkish names of the SIP codes a switch commonly returns; other codes keep the English phrase. */
const SIP_TR: Readonly<Record<number, string>> = Object.freeze({
  200: 'Başarılı',
  400: 'Hatalı istek',
  401: 'Yetkisiz',
  402: 'Ödeme gerekli',
  403: 'Yasak',
  404: 'Bulunamadı',
  405: 'Yönteme izin verilmiyor',
  406: 'Kabul edilemez',
  407: 'Proxy kimlik doğrulaması gerekli',
  408: 'İstek zaman aşımı',
  410: 'Artık yok',
  413: 'İstek çok büyük',
  414: 'İstek URI çok uzun',
  415: 'Desteklenmeyen medya türü',
  416: 'Desteklenmeyen URI şeması',
  420: 'Hatalı uzantı',
  421: 'Uzantı gerekli',
  423: 'Aralık çok kısa',
  480: 'Geçici olarak ulaşılamıyor',
  481: 'Çağrı/işlem yok',
  482: 'Döngü algılandı',
  483: 'Çok fazla atlama',
  484: 'Eksik adres',
  485: 'Belirsiz',
  486: 'Meşgul',
  487: 'İstek sonlandırıldı',
  488: 'Burada kabul edilemez',
  491: 'İstek beklemede',
  493: 'Çözülemedi',
  500: 'Sunucu iç hatası',
  501: 'Uygulanmadı',
  502: 'Hatalı ağ geçidi',
  503: 'Hizmet kullanılamıyor',
  504: 'Sunucu zaman aşımı',
  505: 'Sürüm desteklenmiyor',
  513: 'İleti çok büyük',
  580: 'Ön koşul hatası',
  600: 'Her yerde meşgul',
  603: 'Reddedildi',
  604: 'Hiçbir yerde yok',
  606: 'Kabul edilemez',
  607: 'İstenmeyen',
  608: 'Geri çevrildi',
});

/** Turkish names of Sippy's internal rejects (`result = -N`), same order as SIPPY_INTERNAL_RESULTS. */
const INTERNAL_TR: Readonly<Record<number, string>> = Object.freeze({
  1: 'Harici çevirici reddetti',
  2: 'Gövdesiz INVITE desteklenmiyor',
  3: 'Hesap süresi doldu',
  4: 'Bağlantı kapasitesi aşıldı',
  5: 'Hatalı SDP',
  6: 'Desteklenmeyen içerik türü',
  7: 'Kabul edilemeyen kodek',
  8: 'Geçersiz kimlik doğrulama CLD çeviri kuralı',
  9: 'Geçersiz kimlik doğrulama CLI çeviri kuralı',
  10: 'Geçersiz hesap CLD çeviri kuralı',
  11: 'Geçersiz hesap CLI çeviri kuralı',
  12: 'Oturum bağlanamadı',
  13: 'Geçersiz DID CLI çeviri kuralı',
  14: 'Tarife bulunamadı',
  15: 'Çağrı döngüsü algılandı',
  16: 'Çok fazla oturum',
  17: 'Hesap kullanımda',
  18: 'Hesap başına çağrı hızı yüksek',
  19: 'Çağrı hızı yüksek',
  20: 'Yetersiz bakiye',
  21: 'Yasaklı hedef',
  22: 'Müşteri tarifesi yok',
  23: 'Zarar koruması',
  24: 'Eksik adres',
  25: 'Rota yok',
  26: 'Bağlantı başına çağrı hızı yüksek',
  27: 'Geçersiz asserted-ID CLI çeviri kuralı',
  28: 'DNCL tarafından engellendi',
});

/** The name of a `result` code in English and Turkish ("486 Busy Here" / "486 Meşgul"). */
export function failureCauseName(code: number | null): FailureCauseName {
  if (code === null) {
    return { en: 'No result code', tr: 'Sonuç kodu yok' };
  }
  if (code === 0) {
    // A failure with result 0: the switch reported success but there was no talk time.
    return { en: '0 Success without talk time', tr: '0 Başarılı, konuşma süresi yok' };
  }
  const d = describeSippyResult(code);
  if (d.kind === 'internal') {
    const n = Math.abs(code);
    const known = lookup(SIPPY_INTERNAL_RESULTS, n);
    const trName = lookup(INTERNAL_TR, n);
    const en = known?.reason ?? `Sippy internal reject -${n}`;
    const tr = trName ?? `Sippy iç reddi -${n}`;
    return { en: `-${n} ${en}`, tr: `-${n} ${tr}` };
  }
  if (d.sipCode !== null) {
    const phrase = lookup(SIP_REASON_PHRASES, d.sipCode);
    const trPhrase = lookup(SIP_TR, d.sipCode);
    const en = phrase ?? `SIP ${d.sipCode}`;
    return { en: `${d.sipCode} ${en}`, tr: `${d.sipCode} ${trPhrase ?? en}` };
  }
  return { en: `Unknown result ${code}`, tr: `Bilinmeyen sonuç ${code}` };
}

function lookup<T>(table: Readonly<Record<number, T>>, key: number): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Every internal code has a Turkish name (checked by the unit test). */
export const INTERNAL_CAUSE_CODES = Object.keys(SIPPY_INTERNAL_RESULTS).map(Number);
export const INTERNAL_TR_CODES = Object.keys(INTERNAL_TR).map(Number);

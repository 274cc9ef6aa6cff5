/** Small, locale-neutral formatting for the bilingual reasons (numbers with '.' decimals in both languages). */

/** "10 min" / "10 dk", "6 h" / "6 sa", "1 day" / "1 gün". */
export function describeWindow(seconds: number): { en: string; tr: string } {
  if (seconds % 86_400 === 0) {
    const d = seconds / 86_400;
    return { en: `${String(d)} ${d === 1 ? 'day' : 'days'}`, tr: `${String(d)} gün` };
  }
  if (seconds % 3600 === 0) {
    const h = seconds / 3600;
    return { en: `${String(h)} h`, tr: `${String(h)} sa` };
  }
  if (seconds % 60 === 0) {
    const m = seconds / 60;
    return { en: `${String(m)} min`, tr: `${String(m)} dk` };
  }
  return { en: `${String(seconds)} s`, tr: `${String(seconds)} sn` };
}

/**
 * The span a baseline really covers (7 days, or less while the store is younger): "7 days" / "7 gün" / "7 günde",
 * "30 h" / "30 saat" / "30 saatte" (whole hours below two days, whole days from there).
 */
export function describeBaseline(hours: number): { en: string; tr: string; trIn: string } {
  if (hours >= 48) {
    const d = Math.floor(hours / 24);
    return { en: `${String(d)} days`, tr: `${String(d)} gün`, trIn: `${String(d)} günde` };
  }
  const h = Math.max(0, Math.floor(hours));
  return { en: `${String(h)} h`, tr: `${String(h)} saat`, trIn: `${String(h)} saatte` };
}

/** 0.913 → "91%". */
export function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}

/** Seconds → minutes with one decimal. */
export function minutes(seconds: number): string {
  return (seconds / 60).toFixed(1);
}

/** 12.4, 'EUR' → "12.40 EUR". */
export function money(amount: number, currency: string | null): string {
  return `${amount.toFixed(2)}${currency === null ? '' : ` ${currency}`}`;
}

/** 0.913 → "%91" (Turkish puts the sign first). */
export function pctTr(ratio: number): string {
  return `%${(ratio * 100).toFixed(0)}`;
}

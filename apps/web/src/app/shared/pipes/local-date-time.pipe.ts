import { Pipe, PipeTransform } from '@angular/core';

export type DateTimeStyle = 'datetime' | 'time' | 'date';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats an ISO instant in the browser's time zone (or `timeZone`) with the given locale (Intl). Pure and cached;
 * pass the active locale so a language switch re-renders: `{{ t | localDateTime: locale() }}`.
 */
export function formatLocalDateTime(
  value: string | Date | null | undefined,
  locale: string,
  style: DateTimeStyle = 'datetime',
  timeZone?: string,
): string {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    return '—';
  }
  const key = `${locale}|${style}|${timeZone ?? ''}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions =
      style === 'time'
        ? { timeStyle: 'medium' }
        : style === 'date'
          ? { dateStyle: 'medium' }
          : { dateStyle: 'short', timeStyle: 'medium' };
    formatter = new Intl.DateTimeFormat(locale, timeZone ? { ...options, timeZone } : options);
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

@Pipe({ name: 'localDateTime' })
export class LocalDateTimePipe implements PipeTransform {
  transform(
    value: string | Date | null | undefined,
    locale: string,
    style: DateTimeStyle = 'datetime',
    timeZone?: string | null,
  ): string {
    return formatLocalDateTime(value, locale, style, timeZone ?? undefined);
  }
}

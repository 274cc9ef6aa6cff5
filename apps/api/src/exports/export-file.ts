import type { Response } from 'express';
import type { ExportFormat } from '@velora/contracts';
import { EXPORT_CONTENT_TYPES } from './export-sink';
import { ZonedTime } from './zoned-time';

/**
 * File name of an export with its range as days in the zone: `velora-cdrs_2026-11-24_2026-11-30.csv` (`to` is
 * exclusive, so the last day is the one before it); an open end reads `start` / `now`.
 */
export function exportFileName(kind: string, from: Date | undefined, to: Date | undefined, zone: string, format: ExportFormat): string {
  const time = new ZonedTime(zone);
  const first = from === undefined ? 'start' : time.day(from);
  const last = to === undefined ? 'now' : time.day(new Date(to.getTime() - 1));
  return `velora-${kind}_${first}_${last}.${format}`;
}

/** Headers of a download: type, attachment name, no caching, no sniffing. */
export function setDownloadHeaders(res: Pick<Response, 'statusCode' | 'setHeader'>, fileName: string, format: ExportFormat): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

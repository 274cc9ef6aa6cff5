import { InjectionToken } from '@angular/core';

/** `URL.createObjectURL`/`revokeObjectURL` behind a token, so tests can count what is created and freed. */
export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

export const OBJECT_URLS = new InjectionToken<ObjectUrls>('OBJECT_URLS', {
  providedIn: 'root',
  factory: () => ({
    create: (blob) => URL.createObjectURL(blob),
    revoke: (url) => { URL.revokeObjectURL(url); },
  }),
});

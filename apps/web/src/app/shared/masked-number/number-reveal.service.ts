import { Injectable, inject, signal } from '@angular/core';
import type { PrivacyStatus, RevealableField } from '@velora/contracts';
import { type Observable, map, tap } from 'rxjs';
import { PrivacyApiService } from '../../core/api/privacy-api.service';
import { AuthService } from '../../core/auth/auth.service';

/**
 * True when the API masked this value (`+90 532 *** ** 67`: at least two hidden digits in a row), not a star code
 * such as `*21#`: only masked values get a reveal button.
 */
export function isMaskedNumber(value: string | null | undefined): boolean {
  return typeof value === 'string' && /\*\*/.test(value) && /\d/.test(value);
}

/**
 * What the signed-in user may do with masked numbers (GET /api/privacy/me, loaded once per user) and the numbers
 * they revealed in this tab (kept per CDR and field, so that a refresh of the table keeps them shown).
 */
@Injectable({ providedIn: 'root' })
export class NumberRevealService {
  private readonly api = inject(PrivacyApiService);
  private readonly auth = inject(AuthService);
  private readonly statusSignal = signal<PrivacyStatus | null>(null);
  private readonly revealedSignal = signal<ReadonlyMap<string, string | null>>(new Map());
  private loadedFor: string | null = null;

  /** The user's status; null until loaded. */
  readonly status = this.statusSignal.asReadonly();
  readonly revealed = this.revealedSignal.asReadonly();

  /** Loads the status for the signed-in user (again when another user signed in). */
  ensureStatus(): void {
    const userId = this.auth.user()?.id ?? null;
    if (userId === null || userId === this.loadedFor) return;
    this.loadedFor = userId;
    this.statusSignal.set(null);
    this.revealedSignal.set(new Map());
    this.api.status().subscribe({
      next: (status) => {
        this.statusSignal.set(status);
      },
      error: () => {
        this.loadedFor = null; // try again next time
      },
    });
  }

  /** Forgets the status and the revealed numbers (the settings changed): they are loaded again when needed. */
  forget(): void {
    this.loadedFor = null;
    this.statusSignal.set(null);
    this.revealedSignal.set(new Map());
  }

  revealedValue(cdrId: string, field: RevealableField): string | null | undefined {
    return this.revealedSignal().get(key(cdrId, field));
  }

  /** Asks the API for the full number (audited there); emits it and remembers it. */
  reveal(cdrId: string, field: RevealableField): Observable<string | null> {
    return this.api.reveal({ cdr_id: cdrId, field }).pipe(
      map((response) => response.value),
      tap((value) => {
        this.revealedSignal.update((current) => new Map(current).set(key(cdrId, field), value));
      }),
    );
  }
}

function key(cdrId: string, field: RevealableField): string {
  return `${field}:${cdrId}`;
}

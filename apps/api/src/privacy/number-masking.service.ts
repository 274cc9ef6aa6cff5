import { BadRequestException, Injectable } from '@nestjs/common';
import type { FindingEventData, PrivacySettings, VeloraEvent } from '@velora/contracts';
import type { Cdr } from '@velora/sippy';
import type { Role } from '../auth/auth.types';
import { exactNumberCandidates, maskNumbersInText, maskPhoneNumber } from './number-masker';
import { PrivacySettingsService } from './privacy-settings.service';

/** Who a response is for: an AuthContext, an EventViewer — anything with a role. */
export interface MaskingSubject {
  readonly role: Role;
}

/** The CDR fields that hold phone numbers (masked as numbers) and free text that may contain one. */
const NUMBER_FIELDS = ['caller', 'callee'] as const satisfies readonly (keyof Cdr)[];
const TEXT_FIELDS = ['call_id'] as const satisfies readonly (keyof Cdr)[];

/**
 * Applies the privacy settings to what leaves the API (docs/security.md#privacy). Every endpoint that returns
 * phone numbers calls it with the signed-in user:
 * - `await masking.forUser(auth)` once per request, then the returned {@link UserMasker}'s `cdr(row)` /
 *   `number(value)` / `text(value)` on every row (synchronous, cheap);
 * - or the one-shot helpers `maskCdr(row, user)`, `maskNumber(value, user)`, `shouldMask(user)`.
 * Live events use `maskEvent(event, viewer)` (synchronous, on the process's copy of the settings).
 */
@Injectable()
export class NumberMaskingService {
  constructor(private readonly settings: PrivacySettingsService) {}

  /** Whether numbers are masked for this user now. */
  async shouldMask(user: MaskingSubject): Promise<boolean> {
    return masksRole(await this.settings.current(), user.role);
  }

  /** Whether this user may reveal a number. */
  async canReveal(user: MaskingSubject): Promise<boolean> {
    return (await this.settings.current()).reveal_roles.includes(user.role);
  }

  /** A masker bound to the user's role and the current settings: call once per request. */
  async forUser(user: MaskingSubject): Promise<UserMasker> {
    return new UserMasker(masksRole(await this.settings.current(), user.role));
  }

  async maskNumber(value: string | null, user: MaskingSubject): Promise<string | null> {
    return (await this.forUser(user)).number(value);
  }

  async maskCdr<T extends Partial<Cdr>>(row: T, user: MaskingSubject): Promise<T> {
    return (await this.forUser(user)).cdr(row);
  }

  /** A live event for one subscriber (synchronous: the stream sends in order). Unchanged when not masked. */
  maskEvent(event: VeloraEvent, viewer: MaskingSubject): VeloraEvent {
    const masker = new UserMasker(masksRole(this.settings.snapshot(), viewer.role));
    return masker.event(event);
  }

  /**
   * An event for the outbound channels (webhook, email, Telegram; docs/notifications.md#masking): `auto` masks it
   * whenever the privacy settings mask numbers for any role other than admin — a message leaves for people and
   * systems whose role Velora does not know, so it gets the strictest view an operator configured; `always` and
   * `never` force it. Synchronous, on the process's copy of the settings.
   */
  maskOutbound(event: VeloraEvent, mode: 'auto' | 'always' | 'never'): VeloraEvent {
    return new UserMasker(masksOutbound(this.settings.snapshot(), mode)).event(event);
  }

  /** The same for the notification list (a request: waits for fresh settings). */
  async maskEvents<E extends VeloraEvent>(events: readonly E[], viewer: MaskingSubject): Promise<E[]> {
    const masker = await this.forUser(viewer);
    return events.map((event) => masker.event(event));
  }
}

/** Whether outbound messages are masked under `mode` and these settings. */
export function masksOutbound(settings: PrivacySettings, mode: 'auto' | 'always' | 'never'): boolean {
  if (mode !== 'auto') return mode === 'always';
  return settings.masking_enabled && settings.masked_roles.some((role) => role !== 'admin');
}

function masksRole(settings: PrivacySettings, role: Role): boolean {
  return settings.masking_enabled && settings.masked_roles.includes(role);
}

/** Masking for one user and one request. `masked = false` returns everything unchanged (the same objects). */
export class UserMasker {
  constructor(readonly masked: boolean) {}

  number(value: string | null): string | null {
    return this.masked ? maskPhoneNumber(value) : value;
  }

  text(value: string | null): string | null {
    return this.masked && value !== null ? maskNumbersInText(value) : value;
  }

  /** A copy of the row with its numbers masked (caller, callee; digit runs in call_id). */
  cdr<T extends Partial<Cdr>>(row: T): T {
    if (!this.masked) return row;
    const copy: T = { ...row };
    for (const field of NUMBER_FIELDS) {
      const value = row[field];
      if (typeof value === 'string') copy[field] = maskPhoneNumber(value);
    }
    for (const field of TEXT_FIELDS) {
      const value = row[field];
      if (typeof value === 'string') copy[field] = maskNumbersInText(value);
    }
    return copy;
  }

  event<E extends VeloraEvent>(event: E): E {
    if (!this.masked || event.type !== 'finding') return event;
    const data: FindingEventData = event.data;
    const subject = data.subject;
    const maskedSubject = maskPhoneNumber(subject) ?? subject;
    const inText = (text: string): string => maskNumbersInText(subject === maskedSubject ? text : text.split(subject).join(maskedSubject));
    return {
      ...event,
      data: { ...data, subject: maskedSubject, reason_en: inText(data.reason_en), reason_tr: inText(data.reason_tr) },
    };
  }

  /**
   * A caller/callee filter from this user. Not masked: undefined (the usual substring search). Masked: only a full
   * number (7+ digits, no `*`/`#`) is accepted and the stored spellings it may have are returned, to be matched
   * exactly, so hidden digits cannot be found by searching for parts of them; anything else is a 400 naming the
   * field.
   */
  exactNumbers(field: string, value: string | undefined): readonly string[] | undefined {
    if (!this.masked || value === undefined || value.trim() === '') return undefined;
    const exact = exactNumberCandidates(value);
    if (exact.length === 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: [`${field}: phone numbers are masked for your role; search by a full number (at least 7 digits), not by a part of it`],
      });
    }
    return exact;
  }
}

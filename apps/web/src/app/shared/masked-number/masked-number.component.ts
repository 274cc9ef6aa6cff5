import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, input, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import type { RevealableField } from '@velora/contracts';
import { PhoneNumberPipe } from '../pipes/phone-number.pipe';
import { NumberRevealService, isMaskedNumber } from './number-reveal.service';

/**
 * A phone number of a CDR as the API sent it (masked for roles the privacy settings mask), with a small reveal
 * button next to a masked number when the user's role may reveal: the full number appears once the API (which
 * audits it) returns it.
 */
@Component({
  selector: 'vl-masked-number',
  imports: [MatIconModule, MatTooltipModule, TranslocoPipe, PhoneNumberPipe],
  template: `
    <span class="value" [attr.title]="shown()" data-testid="number-value">{{ shown() | phoneNumber }}</span>
    @if (canReveal()) {
      <button
        type="button"
        class="reveal"
        [disabled]="busy()"
        (click)="revealNumber($event)"
        [attr.aria-label]="'privacy.reveal' | transloco"
        [matTooltip]="(failed() ? 'privacy.revealFailed' : 'privacy.reveal') | transloco"
        [class.failed]="failed()"
        data-testid="reveal-number"
      >
        <mat-icon svgIcon="visibility" />
      </button>
    }
  `,
  styles: `
    :host { display: inline-flex; align-items: center; gap: 2px; }
    .reveal {
      display: inline-flex; align-items: center; justify-content: center; padding: 0; margin: 0;
      width: 24px; height: 24px; border: 0; border-radius: 50%; background: transparent; color: inherit;
      cursor: pointer; opacity: 0.7;
    }
    .reveal:hover, .reveal:focus-visible { opacity: 1; background: color-mix(in srgb, currentColor 10%, transparent); }
    .reveal.failed { color: var(--mat-sys-error, #b3261e); }
    .reveal mat-icon { width: 18px; height: 18px; font-size: 18px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MaskedNumberComponent implements OnInit {
  private readonly reveals = inject(NumberRevealService);
  readonly value = input.required<string | null>();
  readonly cdrId = input.required<string>();
  readonly field = input.required<RevealableField>();

  protected readonly busy = signal(false);
  protected readonly failed = signal(false);
  private readonly revealed = computed(() => this.reveals.revealedValue(this.cdrId(), this.field()));
  protected readonly shown = computed(() => {
    const revealed = this.revealed();
    return revealed === undefined ? this.value() : revealed;
  });
  protected readonly canReveal = computed(
    () => this.revealed() === undefined && isMaskedNumber(this.value()) && this.reveals.status()?.can_reveal === true,
  );

  ngOnInit(): void {
    this.reveals.ensureStatus();
  }

  protected revealNumber(event: Event): void {
    event.stopPropagation();
    this.busy.set(true);
    this.failed.set(false);
    this.reveals.reveal(this.cdrId(), this.field()).subscribe({
      next: () => {
        this.busy.set(false);
      },
      error: () => {
        this.busy.set(false);
        this.failed.set(true);
      },
    });
  }
}

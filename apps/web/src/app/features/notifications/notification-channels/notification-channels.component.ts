import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import type { NotificationChannelName, NotificationChannelStatus } from '@velora/contracts';
import { finalize } from 'rxjs';
import { NotificationsApiService } from '../../../core/api/notifications-api.service';
import { isApiError } from '../../../core/http/api-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { LocalDateTimePipe } from '../../../shared/pipes/local-date-time.pipe';

/** Admins: the outbound channels (configured in the API's environment), their counters, and a test button each. */
@Component({
  selector: 'vl-notification-channels',
  imports: [MatButtonModule, TranslocoPipe, LocalDateTimePipe],
  templateUrl: './notification-channels.component.html',
  styleUrl: './notification-channels.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationChannelsComponent implements OnInit {
  private readonly api = inject(NotificationsApiService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly transloco = inject(TranslocoService);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly locale = inject(LanguageService).locale;

  protected readonly channels = signal<readonly NotificationChannelStatus[]>([]);
  protected readonly failed = signal(false);
  protected readonly testing = signal<NotificationChannelName | null>(null);

  ngOnInit(): void {
    this.load();
  }

  protected test(channel: NotificationChannelName): void {
    this.testing.set(channel);
    const name = this.transloco.translate(`notifications.channels.name.${channel}`);
    this.api
      .testChannel(channel)
      .pipe(
        finalize(() => {
          this.testing.set(null);
          this.load();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (result) => {
          this.snackBar.open(
            this.transloco.translate('notifications.channels.testOk', { channel: name, ms: result.latency_ms }),
            undefined,
            { duration: 5000 },
          );
        },
        error: (error: unknown) => {
          // the API's message names the channel and the cause (502/504/409)
          const message = isApiError(error) ? (error.details[0] ?? error.message) : String(error);
          this.snackBar.open(this.transloco.translate('notifications.channels.testFailed', { message }), undefined, {
            duration: 10_000,
            politeness: 'assertive',
          });
        },
      });
  }

  private load(): void {
    this.api
      .channels()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (channels) => {
          this.channels.set(channels);
          this.failed.set(false);
        },
        error: () => {
          this.failed.set(true);
        },
      });
  }
}

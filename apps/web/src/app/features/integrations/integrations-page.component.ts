import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { AuthService } from '../../core/auth/auth.service';
import { LanguageService } from '../../core/i18n/language.service';
import { IntegrationCardComponent } from './integration-card/integration-card.component';
import { INTEGRATION_IDS, IntegrationsHealth } from './integrations-health.service';
import { IssabelStatusComponent } from './issabel-status/issabel-status.component';
import { ElevenLabsSettingsFormComponent } from './settings/elevenlabs-settings-form.component';
import { IssabelSettingsFormComponent } from './settings/issabel-settings-form.component';
import { TestConnectionFormComponent } from './test-connection-form/test-connection-form.component';

/**
 * `/integrations`: health of SippySoft, Issabel and ElevenLabs and, for admins, their connection settings (what is in
 * force and where it comes from, test, test and save, clear): saved settings apply without a restart.
 */
@Component({
  selector: 'vl-integrations-page',
  imports: [
    MatButtonModule,
    MatIconModule,
    TranslocoPipe,
    IntegrationCardComponent,
    TestConnectionFormComponent,
    IssabelStatusComponent,
    IssabelSettingsFormComponent,
    ElevenLabsSettingsFormComponent,
  ],
  providers: [IntegrationsHealth],
  templateUrl: './integrations-page.component.html',
  styleUrl: './integrations-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IntegrationsPageComponent {
  protected readonly health = inject(IntegrationsHealth);
  protected readonly locale = inject(LanguageService).locale;
  /** Connection tests and settings are admin actions (the API answers 403 to agents). */
  protected readonly isAdmin = inject(AuthService).isAdmin;
  protected readonly integrations = INTEGRATION_IDS;

  protected refreshNow(): void {
    this.health.refreshNow();
  }
}

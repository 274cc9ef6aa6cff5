import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import type { CdrStatus } from '../../core/api/api.models';

/** A coloured, accessible label for a call status (colour is never the only cue: the text is there). */
@Component({
  selector: 'vl-status-chip',
  imports: [TranslocoPipe],
  template: `<span class="chip" [attr.data-status]="status()">{{ 'cdr.status.' + status() | transloco }}</span>`,
  styleUrl: './status-chip.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusChipComponent {
  readonly status = input.required<CdrStatus>();
}

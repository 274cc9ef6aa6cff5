import { ChangeDetectionStrategy, Component, effect, inject, input, output } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  CDR_DIRECTION_VALUES,
  CDR_STATUS_VALUES,
  type CdrDirection,
  type CdrStatus,
} from '../../../core/api/api.models';
import { CdrViewQuery, formatDay, parseDay } from '../cdr-query';

export type CdrFilters = Pick<
  CdrViewQuery,
  'from' | 'to' | 'caller' | 'callee' | 'status' | 'direction' | 'country'
>;

/**
 * Clearing also drops the drill-down filters of report links and saved views (city, account, trunk, result,
 * answered, min_duration); the time zone and the columns stay.
 */
export const NO_FILTERS: CdrFilters & Pick<CdrViewQuery, 'city' | 'account' | 'trunk' | 'result' | 'answered' | 'min_duration'> = {
  from: null,
  to: null,
  caller: null,
  callee: null,
  status: null,
  direction: null,
  country: null,
  city: null,
  account: null,
  trunk: null,
  result: null,
  answered: null,
  min_duration: null,
};

/** Filter bar of the live view. It only emits; the page writes the filters into the URL. */
@Component({
  selector: 'vl-cdr-filters',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatDatepickerModule,
    MatButtonModule,
    MatIconModule,
    TranslocoPipe,
  ],
  templateUrl: './cdr-filters.component.html',
  styleUrl: './cdr-filters.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CdrFiltersComponent {
  readonly query = input.required<CdrViewQuery>();
  readonly apply = output<CdrFilters>();

  protected readonly statuses = CDR_STATUS_VALUES;
  protected readonly directions = CDR_DIRECTION_VALUES;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    from: this.nullable<Date>(),
    to: this.nullable<Date>(),
    caller: [''],
    callee: [''],
    status: this.nullable<CdrStatus>(),
    direction: this.nullable<CdrDirection>(),
    country: [''],
  });

  constructor() {
    // Reflect the URL (initial load, back/forward, shared links) in the form.
    effect(() => {
      const q = this.query();
      this.form.setValue(
        {
          from: q.from ? parseDay(q.from) : null,
          to: q.to ? parseDay(q.to) : null,
          caller: q.caller ?? '',
          callee: q.callee ?? '',
          status: q.status,
          direction: q.direction,
          country: q.country ?? '',
        },
        { emitEvent: false },
      );
    });
  }

  protected applyFilters(): void {
    const v = this.form.getRawValue();
    const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());
    this.apply.emit({
      from: v.from ? formatDay(v.from) : null,
      to: v.to ? formatDay(v.to) : v.from ? formatDay(v.from) : null,
      caller: text(v.caller),
      callee: text(v.callee),
      status: v.status,
      direction: v.direction,
      country: text(v.country),
    });
  }

  protected clearFilters(): void {
    this.apply.emit(NO_FILTERS);
  }

  private nullable<T>(): [T | null] {
    return [null];
  }
}

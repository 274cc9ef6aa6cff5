import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { ALL_LIVE_COLUMNS, LIVE_COLUMNS, type LiveColumn } from '../cdr-query';

const DEFAULT_LABELS: Readonly<Partial<Record<LiveColumn, string>>> = {
  start_time: 'cdr.columns.startTime',
  caller: 'cdr.columns.caller',
  callee: 'cdr.columns.callee',
  direction: 'cdr.columns.direction',
  status: 'cdr.columns.status',
  location: 'cdr.columns.location',
  duration: 'cdr.columns.duration',
};

/** Translation key of a live table column's header. */
export function columnLabelKey(column: LiveColumn): string {
  return DEFAULT_LABELS[column] ?? `cdr.fields.${column}`;
}

/** `columns` with `column` moved one place up (-1) or down (+1). */
export function moveColumn(columns: readonly LiveColumn[], column: LiveColumn, step: -1 | 1): LiveColumn[] {
  const list = [...columns];
  const at = list.indexOf(column);
  const to = at + step;
  if (at < 0 || to < 0 || to >= list.length) return list;
  list.splice(at, 1);
  list.splice(to, 0, column);
  return list;
}

/** `columns` with `column` shown (added at the end) or hidden; the last shown column stays. */
export function toggleColumn(columns: readonly LiveColumn[], column: LiveColumn): LiveColumn[] {
  if (columns.includes(column)) return columns.length === 1 ? [...columns] : columns.filter((c) => c !== column);
  return [...columns, column];
}

/**
 * "Sütunlar / Columns": choose the live table's columns and their order. The table, the export and a saved view use
 * the same list; the page keeps it in the URL (`cols`) and in localStorage.
 */
@Component({
  selector: 'vl-column-picker',
  imports: [MatButtonModule, MatCheckboxModule, MatIconModule, MatMenuModule, TranslocoPipe],
  templateUrl: './column-picker.component.html',
  styleUrl: './column-picker.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ColumnPickerComponent {
  readonly columns = input.required<readonly LiveColumn[]>();
  readonly columnsChange = output<LiveColumn[]>();

  /** Shown columns in their order, then the hidden ones. */
  protected readonly rows = computed(() => {
    const shown = this.columns();
    return [...shown.map((c) => ({ column: c, shown: true })), ...ALL_LIVE_COLUMNS.filter((c) => !shown.includes(c)).map((c) => ({ column: c, shown: false }))];
  });
  protected readonly label = columnLabelKey;

  protected toggle(column: LiveColumn): void {
    this.columnsChange.emit(toggleColumn(this.columns(), column));
  }

  protected move(column: LiveColumn, step: -1 | 1): void {
    this.columnsChange.emit(moveColumn(this.columns(), column, step));
  }

  protected reset(): void {
    this.columnsChange.emit([...LIVE_COLUMNS]);
  }
}

import { exportUrl } from '../../../shared/export-menu/export-menu.component';
import { columnLabelKey, moveColumn, toggleColumn } from './column-picker.component';

describe('column picker', () => {
  it('moves a column one place and keeps the ends', () => {
    expect(moveColumn(['start_time', 'caller', 'status'], 'status', -1)).toEqual(['start_time', 'status', 'caller']);
    expect(moveColumn(['start_time', 'caller', 'status'], 'start_time', 1)).toEqual(['caller', 'start_time', 'status']);
    expect(moveColumn(['start_time', 'caller'], 'start_time', -1)).toEqual(['start_time', 'caller']);
    expect(moveColumn(['start_time', 'caller'], 'caller', 1)).toEqual(['start_time', 'caller']);
  });

  it('shows a column at the end, hides it, and never hides the last one', () => {
    expect(toggleColumn(['start_time', 'caller'], 'trunk')).toEqual(['start_time', 'caller', 'trunk']);
    expect(toggleColumn(['start_time', 'caller'], 'start_time')).toEqual(['caller']);
    expect(toggleColumn(['caller'], 'caller')).toEqual(['caller']);
  });

  it('labels default columns with their table header and the others with the field name', () => {
    expect(columnLabelKey('start_time')).toBe('cdr.columns.startTime');
    expect(columnLabelKey('trunk')).toBe('cdr.fields.trunk');
  });
});

describe('exportUrl', () => {
  it('puts the set parameters and the format in the query', () => {
    expect(exportUrl('', '/api/sippy/cdrs/export', { status: 'busy', caller: null, city: '', tz: 'Europe/Istanbul' }, 'xlsx')).toBe(
      '/api/sippy/cdrs/export?status=busy&tz=Europe%2FIstanbul&format=xlsx',
    );
  });
});

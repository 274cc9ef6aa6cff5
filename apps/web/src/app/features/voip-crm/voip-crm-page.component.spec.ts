import { activeFilterCount, COMPACT_LAYOUT_QUERY } from './voip-crm-page.component';
import { EMPTY_VIEW_QUERY } from './cdr-query';

describe('activeFilterCount', () => {
  it('counts the set filters and never the paging', () => {
    expect(activeFilterCount(EMPTY_VIEW_QUERY)).toBe(0);
    expect(activeFilterCount({ ...EMPTY_VIEW_QUERY, page: 3, size: 100 })).toBe(0);
    expect(activeFilterCount({ ...EMPTY_VIEW_QUERY, status: 'failed', country: 'DE', caller: '90532' })).toBe(3);
  });

  it('switches to the phone layout under 600 px', () => {
    expect(COMPACT_LAYOUT_QUERY).toBe('(max-width: 599.98px)');
  });
});

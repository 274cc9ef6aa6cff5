/** Tabs of the reports area (the range and zone travel along). */
export const REPORT_TABS: readonly { readonly link: string; readonly labelKey: string }[] = [
  { link: '/reports', labelKey: 'reports.tabs.overview' },
  { link: '/reports/completeness', labelKey: 'reports.tabs.completeness' },
];

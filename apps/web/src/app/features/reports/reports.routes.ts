import type { Routes } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';
import { ReportsPageComponent } from './reports-page.component';

export const reportsRoutes: Routes = [
  {
    path: '',
    component: ReportsPageComponent,
    title: 'Velora · Raporlar / Reports',
    providers: [provideEchartsCore({ echarts: () => import('./echarts-setup').then((m) => m.echarts) })],
  },
  // The reconciliation panel (branch `recon`) goes here as `path: 'completeness'`, and gets a tab in
  // REPORT_TABS (reports-page.component.ts).
];

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
  {
    path: 'completeness',
    loadComponent: () => import('./completeness/completeness-page.component').then((m) => m.CompletenessPageComponent),
    title: 'Velora · Eksiksizlik / Completeness',
  },
];

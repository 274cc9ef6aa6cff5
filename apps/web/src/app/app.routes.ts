import { Routes } from '@angular/router';
import { adminGuard, authChildGuard, authGuard, guestGuard } from './core/auth/auth.guards';

export const appRoutes: Routes = [
  {
    path: 'login',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/login/login-page.component').then((m) => m.LoginPageComponent),
    title: 'Velora · Giriş / Sign in',
  },
  {
    // everything else needs a session (the API answers 401 to anonymous data requests)
    path: '',
    loadComponent: () => import('./core/layout/shell/shell.component').then((m) => m.ShellComponent),
    canActivate: [authGuard],
    canActivateChild: [authChildGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'voip-crm' },
      {
        path: 'voip-crm',
        loadChildren: () => import('./features/voip-crm/voip-crm.routes').then((m) => m.voipCrmRoutes),
      },
      {
        path: 'reports',
        loadChildren: () => import('./features/reports/reports.routes').then((m) => m.reportsRoutes),
      },
      {
        path: 'alerts',
        loadChildren: () => import('./features/alerts/alerts.routes').then((m) => m.alertsRoutes),
      },
      {
        path: 'numbers/:number',
        loadComponent: () => import('./features/numbers/number-page.component').then((m) => m.NumberPageComponent),
        title: 'Velora · Numara / Number',
      },
      {
        path: 'integrations',
        loadChildren: () => import('./features/integrations/integrations.routes').then((m) => m.integrationsRoutes),
      },
      {
        path: 'tts',
        loadChildren: () => import('./features/tts/tts.routes').then((m) => m.ttsRoutes),
      },
      {
        path: 'notifications',
        loadChildren: () => import('./features/notifications/notifications.routes').then((m) => m.notificationsRoutes),
      },
      {
        path: 'account',
        loadComponent: () => import('./features/account/account-page.component').then((m) => m.AccountPageComponent),
        title: 'Velora · Account',
      },
      {
        path: 'admin/users',
        canActivate: [adminGuard],
        loadComponent: () => import('./features/admin/users/users-page.component').then((m) => m.UsersPageComponent),
        title: 'Velora · Users',
      },
      {
        path: 'admin/audit',
        canActivate: [adminGuard],
        loadComponent: () => import('./features/admin/audit/audit-page.component').then((m) => m.AuditPageComponent),
        title: 'Velora · Audit log',
      },
      {
        path: 'admin/privacy',
        canActivate: [adminGuard],
        loadComponent: () => import('./features/admin/privacy/privacy-page.component').then((m) => m.PrivacyPageComponent),
        title: 'Velora · Privacy',
      },
    ],
  },
  { path: '**', redirectTo: '' },
];

import { Routes } from '@angular/router';
import { adminGuard } from '../../core/auth/auth.guards';
import { AlertsPageComponent } from './alerts-page.component';
import { RulesPageComponent } from './rules-page.component';

export const alertsRoutes: Routes = [
  { path: '', component: AlertsPageComponent, title: 'Velora · Uyarılar / Alerts' },
  { path: 'rules', component: RulesPageComponent, canActivate: [adminGuard], title: 'Velora · Kurallar / Rules' },
];

import { Routes } from '@angular/router';
import { IntegrationsPageComponent } from './integrations-page.component';

export const integrationsRoutes: Routes = [
  { path: '', component: IntegrationsPageComponent, title: 'Velora · Integrations' },
];

import { Routes } from '@angular/router';
import { VoipCrmPageComponent } from './voip-crm-page.component';

export const voipCrmRoutes: Routes = [
  { path: '', component: VoipCrmPageComponent, title: 'Velora · VoIP CRM' },
];

import { Routes } from '@angular/router';

export const appRoutes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'voip-crm' },
  {
    path: 'voip-crm',
    loadChildren: () => import('./features/voip-crm/voip-crm.routes').then((m) => m.voipCrmRoutes),
  },
  {
    path: 'integrations',
    loadChildren: () => import('./features/integrations/integrations.routes').then((m) => m.integrationsRoutes),
  },
  {
    path: 'tts',
    loadChildren: () => import('./features/tts/tts.routes').then((m) => m.ttsRoutes),
  },
  { path: '**', redirectTo: 'voip-crm' },
];

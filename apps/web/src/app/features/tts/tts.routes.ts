import { Routes } from '@angular/router';
import { TtsPageComponent } from './tts-page.component';

export const ttsRoutes: Routes = [{ path: '', component: TtsPageComponent, title: 'Velora · Text to speech' }];

import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider, importProvidersFrom, provideAppInitializer } from '@angular/core';
import { TranslocoTestingModule } from '@jsverse/transloco';
import en from '../../public/i18n/en.json';
import tr from '../../public/i18n/tr.json';
import { authInterceptor } from '../app/core/auth/auth.interceptor';
import { apiErrorInterceptor } from '../app/core/http/api-error.interceptor';
import { registerAppIcons } from '../app/core/icons/app-icons';

/** Real translations, preloaded, Turkish active by default (as in production). */
export function provideTestTransloco(activeLang: 'tr' | 'en' = 'tr'): EnvironmentProviders {
  return importProvidersFrom(
    TranslocoTestingModule.forRoot({
      langs: { tr, en },
      translocoConfig: { availableLangs: ['tr', 'en'], defaultLang: activeLang, reRenderOnLangChange: true },
      preloadLangs: true,
    }),
  );
}

/** HttpClient with the real error interceptor, backed by `HttpTestingController`. */
export function provideTestHttp(): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting()];
}

/** As in production: the session interceptor (401 → login) before the error interceptor. */
export function provideTestHttpWithAuth(): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(withInterceptors([authInterceptor, apiErrorInterceptor])), provideHttpClientTesting()];
}

/** The app's inline SVG icons (no network). */
export function provideTestIcons(): EnvironmentProviders {
  return provideAppInitializer(registerAppIcons);
}

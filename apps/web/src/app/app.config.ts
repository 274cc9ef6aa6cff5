import { provideHttpClient, withFetch, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import {
  ApplicationConfig,
  ErrorHandler,
  inject,
  isDevMode,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { TranslocoService, provideTransloco } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { appRoutes } from './app.routes';
import { CSRF_COOKIE, CSRF_HEADER, authInterceptor } from './core/auth/auth.interceptor';
import { AppErrorHandler } from './core/errors/app-error-handler';
import { apiErrorInterceptor } from './core/http/api-error.interceptor';
import { LanguageService } from './core/i18n/language.service';
import { DEFAULT_LANGUAGE, LANGUAGES } from './core/i18n/languages';
import { TranslatedPaginatorIntl } from './core/i18n/translated-paginator-intl';
import { TranslocoHttpLoader } from './core/i18n/transloco-http.loader';
import { registerAppIcons } from './core/icons/app-icons';
import { ThemeService } from './core/theme/theme.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    { provide: ErrorHandler, useClass: AppErrorHandler },
    provideRouter(appRoutes, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
    provideHttpClient(
      withFetch(),
      // authInterceptor first: it sees the ApiError of a 401 and sends the user to the login page
      withInterceptors([authInterceptor, apiErrorInterceptor]),
      // double-submit CSRF: the API sets velora_csrf and wants it back on POST/PUT/PATCH/DELETE
      withXsrfConfiguration({ cookieName: CSRF_COOKIE, headerName: CSRF_HEADER }),
    ),
    provideNativeDateAdapter(),
    { provide: MatPaginatorIntl, useClass: TranslatedPaginatorIntl },
    provideTransloco({
      config: {
        availableLangs: [...LANGUAGES],
        defaultLang: DEFAULT_LANGUAGE,
        fallbackLang: DEFAULT_LANGUAGE,
        reRenderOnLangChange: true,
        prodMode: !isDevMode(),
        missingHandler: { logMissingKey: isDevMode(), useFallbackTranslation: true },
      },
      loader: TranslocoHttpLoader,
    }),
    provideAppInitializer(() => {
      registerAppIcons();
      inject(ThemeService).restore();
      inject(LanguageService).restore();
      // Start with the texts loaded: a mat-select shows its option's label as it was when the value was set
      // (the filters set theirs from the URL at once), and the login page should not flash keys.
      const transloco = inject(TranslocoService);
      return firstValueFrom(transloco.load(transloco.getActiveLang())).then(
        () => undefined,
        () => undefined, // a failed load is reported by Transloco; the app still starts
      );
    }),
  ],
};

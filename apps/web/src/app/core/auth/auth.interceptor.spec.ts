import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { makeSession, makeUser } from '../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestTransloco } from '../../../testing/testing.providers';
import { API_BASE_URL } from '../config/api-base-url.token';
import { ApiError } from '../http/api-error';
import { AuthService } from './auth.service';
import { readCookie } from './auth.interceptor';

@Component({ template: '' })
class StubPage {}

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let auth: AuthService;
  let router: Router;

  function setUp(apiBaseUrl = ''): void {
    TestBed.configureTestingModule({
      providers: [
        provideTestHttpWithAuth(),
        provideTestTransloco('tr'),
        provideRouter([
          { path: 'login', component: StubPage },
          { path: 'voip-crm', component: StubPage },
        ]),
        { provide: API_BASE_URL, useValue: apiBaseUrl },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    router = TestBed.inject(Router);
  }

  async function signIn(base = ''): Promise<void> {
    const done = firstValueFrom(auth.login('ayse@example.com', 'correct horse battery'));
    backend.expectOne(`${base}/api/auth/login`).flush(makeSession(makeUser({ email: 'ayse@example.com' })));
    await done;
  }

  afterEach(() => { backend.verify(); });

  it('on a 401 from the API clears the user and opens the login page with the current URL', async () => {
    setUp();
    await router.navigateByUrl('/voip-crm?page=3');
    await signIn();
    const navigate = jest.spyOn(router, 'navigateByUrl');

    const calls = ['/api/sippy/cdrs', '/api/sippy/health', '/api/sippy/cdrs/summary'].map((url) => {
      const result = firstValueFrom(http.get(url)).catch((error: unknown) => error);
      return { url, result };
    });
    for (const { url } of calls) {
      backend.expectOne(url).flush({ message: 'Session expired or invalid: sign in again' }, { status: 401, statusText: 'Unauthorized' });
    }
    const errors = await Promise.all(calls.map((c) => c.result));
    await Promise.resolve();
    await Promise.resolve();

    expect(errors.every((e) => e instanceof ApiError && e.status === 401)).toBe(true);
    expect(auth.user()).toBeNull();
    expect(navigate).toHaveBeenCalledTimes(1); // three 401s, one redirect
    await new Promise((resolve) => setTimeout(resolve));
    expect(router.url).toBe('/login?returnUrl=%2Fvoip-crm%3Fpage%3D3');
  });

  it('leaves a wrong password (401 from /api/auth/login) to the login page', async () => {
    setUp();
    await router.navigateByUrl('/login');
    const navigate = jest.spyOn(router, 'navigateByUrl');
    const result = firstValueFrom(auth.login('x@example.com', 'wrong')).catch((e: unknown) => e);
    backend.expectOne('/api/auth/login').flush({ message: 'Invalid email or password' }, { status: 401, statusText: 'Unauthorized' });
    expect(await result).toBeInstanceOf(ApiError);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('turns a 403 password_change_required into the must-change flag', async () => {
    setUp();
    await signIn();
    expect(auth.mustChangePassword()).toBe(false);
    const result = firstValueFrom(http.get('/api/sippy/cdrs')).catch((e: unknown) => e);
    backend
      .expectOne('/api/sippy/cdrs')
      .flush({ statusCode: 403, code: 'password_change_required', message: 'Password change required' }, { status: 403, statusText: 'Forbidden' });
    await result;
    expect(auth.mustChangePassword()).toBe(true);
    expect(auth.user()).not.toBeNull();
  });

  it('a plain 403 (wrong role) signs nobody out', async () => {
    setUp();
    await signIn();
    const result = firstValueFrom(http.post('/api/sippy/test-connection', {})).catch((e: unknown) => e);
    backend.expectOne('/api/sippy/test-connection').flush({ message: 'This action needs the admin role' }, { status: 403, statusText: 'Forbidden' });
    await result;
    expect(auth.user()).not.toBeNull();
    expect(auth.mustChangePassword()).toBe(false);
  });

  it('sends cookies and the CSRF header to an API on another origin', async () => {
    const base = 'http://api.velora.test:3000';
    setUp(base);
    await signIn(base);

    void firstValueFrom(http.get(`${base}/api/sippy/cdrs`));
    const get = backend.expectOne(`${base}/api/sippy/cdrs`);
    expect(get.request.withCredentials).toBe(true);
    expect(get.request.headers.has('X-CSRF-Token')).toBe(false);
    get.flush([]);

    void firstValueFrom(http.delete(`${base}/api/auth/tokens/abc`));
    const del = backend.expectOne(`${base}/api/auth/tokens/abc`);
    expect(del.request.withCredentials).toBe(true);
    expect(del.request.headers.get('X-CSRF-Token')).toBe('csrf-from-login');
    del.flush(null, { status: 204, statusText: 'No Content' });
  });

  it('leaves same-origin requests to Angular (no withCredentials, no manual header)', async () => {
    setUp();
    await signIn();
    void firstValueFrom(http.post('/api/auth/tokens', { name: 'x' }));
    const post = backend.expectOne('/api/auth/tokens');
    expect(post.request.withCredentials).toBe(false);
    expect(post.request.headers.has('X-CSRF-Token')).toBe(false);
    post.flush({});
  });
});

describe('readCookie', () => {
  afterEach(() => {
    document.cookie = 'velora_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  });

  it('reads one cookie by name and decodes it', () => {
    document.cookie = 'other=1; path=/';
    document.cookie = 'velora_csrf=a%2Bb_c; path=/';
    expect(readCookie(document, 'velora_csrf')).toBe('a+b_c');
    expect(readCookie(document, 'missing')).toBeNull();
  });
});

import { Component } from '@angular/core';
import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { makeUser } from '../../../testing/auth.fixtures';
import { provideTestHttpWithAuth, provideTestTransloco } from '../../../testing/testing.providers';
import { adminGuard, authChildGuard, authGuard, guestGuard, safeReturnUrl } from './auth.guards';
import { AuthService } from './auth.service';

@Component({ template: 'page' })
class StubPage {}

describe('safeReturnUrl', () => {
  it.each([
    ['/voip-crm?page=2', '/voip-crm?page=2'],
    ['/admin/users', '/admin/users'],
  ])('keeps the in-app path %j', (value, expected) => {
    expect(safeReturnUrl(value)).toBe(expected);
  });

  it.each([undefined, null, '', 'voip-crm', '//evil.example/x', '/\\evil.example', 'https://evil.example', '/login', '/login?returnUrl=/x'])(
    'falls back to / for %j',
    (value) => {
      expect(safeReturnUrl(value)).toBe('/');
    },
  );
});

describe('auth guards', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideTestHttpWithAuth(),
        provideTestTransloco('tr'),
        provideRouter([
          { path: 'login', canActivate: [guestGuard], component: StubPage },
          {
            path: '',
            canActivate: [authGuard],
            canActivateChild: [authChildGuard],
            children: [
              { path: 'voip-crm', component: StubPage },
              { path: 'admin/users', canActivate: [adminGuard], component: StubPage },
              { path: '', pathMatch: 'full', component: StubPage },
            ],
          },
        ]),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => { backend.verify(); });

  async function navigate(url: string, me: (request: TestRequest) => void): Promise<void> {
    const navigation = harness.navigateByUrl(url);
    let pending = backend.match('/api/auth/me');
    for (let i = 0; i < 50 && pending.length === 0; i++) {
      // the guard runs after the lazy parts of the navigation: give it a few turns
      await new Promise((resolve) => setTimeout(resolve));
      pending = backend.match('/api/auth/me');
    }
    expect(pending).toHaveLength(1);
    me(pending[0]);
    await navigation.catch(() => undefined);
  }

  it('sends a visitor without a session to /login with the URL they wanted', async () => {
    await navigate('/voip-crm?from=2026-11-01&page=2', (me) => { me.flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' }); });
    expect(router.url).toBe('/login?returnUrl=%2Fvoip-crm%3Ffrom%3D2026-11-01%26page%3D2');
    expect(TestBed.inject(AuthService).user()).toBeNull();
  });

  it('sends / to /login without a returnUrl', async () => {
    await navigate('/', (me) => { me.flush(null, { status: 401, statusText: 'Unauthorized' }); });
    expect(router.url).toBe('/login');
  });

  it('lets a signed-in user in and asks the API only once', async () => {
    await navigate('/voip-crm', (me) => { me.flush({ ...makeUser({ email: 'ayse@example.com' }), auth: 'session' }); });
    expect(router.url).toBe('/voip-crm');
    expect(TestBed.inject(AuthService).user()?.email).toBe('ayse@example.com');
    await harness.navigateByUrl('/');
    backend.expectNone('/api/auth/me');
    expect(router.url).toBe('/');
  });

  it('keeps agents out of admin pages', async () => {
    await navigate('/admin/users', (me) => { me.flush({ ...makeUser({ role: 'agent' }), auth: 'session' }); });
    expect(router.url).toBe('/');
  });

  it('lets admins open admin pages', async () => {
    await navigate('/admin/users', (me) => { me.flush({ ...makeUser({ role: 'admin' }), auth: 'session' }); });
    expect(router.url).toBe('/admin/users');
  });

  it('treats an unreachable API as "no session" but asks again next time', async () => {
    const navigation = harness.navigateByUrl('/voip-crm');
    // the shell's guard, then the login page's own guard: both find the API unreachable
    for (let answered = 0; answered < 2; ) {
      await new Promise((resolve) => setTimeout(resolve));
      for (const request of backend.match('/api/auth/me')) {
        request.error(new ProgressEvent('error'));
        answered += 1;
      }
    }
    await navigation;
    expect(router.url).toBe('/login?returnUrl=%2Fvoip-crm');
    await navigate('/voip-crm', (me) => { me.flush({ ...makeUser(), auth: 'session' }); });
    expect(router.url).toBe('/voip-crm');
  });

  it('sends a signed-in user away from /login to the returnUrl', async () => {
    await navigate('/login?returnUrl=%2Fadmin%2Fusers', (me) => { me.flush({ ...makeUser({ role: 'admin' }), auth: 'session' }); });
    expect(router.url).toBe('/admin/users');
  });

  it('blocks child pages once the session is gone', async () => {
    await navigate('/voip-crm', (me) => { me.flush({ ...makeUser(), auth: 'session' }); });
    TestBed.inject(AuthService).clear();
    await harness.navigateByUrl('/admin/users');
    expect(router.url).toBe('/login?returnUrl=%2Fadmin%2Fusers');
  });
});

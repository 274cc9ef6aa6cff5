import { Clipboard } from '@angular/cdk/clipboard';
import { Component, signal } from '@angular/core';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { SavedView } from '@velora/contracts';
import { AuthService } from '../../core/auth/auth.service';
import { makeSession, makeUser } from '../../../testing/auth.fixtures';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../testing/testing.providers';
import { SavedViewsMenuComponent } from './saved-views-menu.component';
import { viewMatches, type SavedViewState } from './saved-view-state';

const ID = '0b7c0000-0000-4000-8000-000000000001';

function makeView(o: Partial<SavedView> = {}): SavedView {
  return {
    id: ID,
    name: 'Failed calls',
    scope: 'cdrs',
    shared: false,
    mine: true,
    editable: true,
    owner: { id: 'u1', email: 'agent@velora.test' },
    filters: { status: 'failed' },
    columns: ['start_time', 'caller', 'status'],
    sort: 'start_time:desc',
    time_zone: 'Europe/Istanbul',
    url: `/voip-crm?view=${ID}`,
    created_at: '2026-11-24T10:00:00.000Z',
    updated_at: '2026-11-24T10:00:00.000Z',
    ...o,
  };
}

const STATE: SavedViewState = {
  filters: { status: 'failed' },
  dates: { from: '2026-11-20', to: '2026-11-24' },
  columns: ['start_time', 'caller', 'status'],
  timeZone: 'Europe/Istanbul',
};

@Component({
  selector: 'vl-test-host',
  imports: [SavedViewsMenuComponent],
  template: `<vl-saved-views-menu scope="cdrs" [state]="state()" (apply)="applied.push($event)" />`,
})
class HostComponent {
  readonly state = signal<SavedViewState>(STATE);
  readonly applied: SavedView[] = [];
}

describe('viewMatches', () => {
  it('matches the same filters, range, columns and zone; a view without a range only a screen without one', () => {
    const view = makeView({ filters: { status: 'failed', from: '2026-11-20', to: '2026-11-24' } });
    expect(viewMatches(view, STATE)).toBe(true);
    expect(viewMatches(view, { ...STATE, timeZone: 'UTC' })).toBe(false);
    expect(viewMatches(view, { ...STATE, columns: ['caller'] })).toBe(false);
    expect(viewMatches(makeView(), STATE)).toBe(false);
    expect(viewMatches(makeView(), { ...STATE, dates: null })).toBe(true);
  });
});

describe('SavedViewsMenuComponent', () => {
  let harness: RouterTestingHarness;
  let backend: HttpTestingController;
  let host: HostComponent;
  const copied: string[] = [];

  const overlay = (): HTMLElement => document.querySelector('.cdk-overlay-container') as HTMLElement;
  const root = (): HTMLElement => harness.routeNativeElement as HTMLElement;
  const byTestId = (testId: string, scope: HTMLElement = document.body): HTMLElement => {
    const found = scope.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!found) throw new Error(`no ${testId}`);
    return found;
  };
  const byInput = (testId: string, scope: HTMLElement): HTMLInputElement => byTestId(testId, scope) as HTMLInputElement;
  const settle = async (): Promise<void> => {
    await harness.fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  };
  const openMenu = async (): Promise<void> => {
    byTestId('views-button', root()).click();
    await settle();
  };
  const listRequest = () => backend.expectOne((r) => r.url === '/api/views' && r.params.get('scope') === 'cdrs');

  async function open(url: string, role: 'admin' | 'agent' = 'agent'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [
        provideTestHttp(),
        provideTestTransloco('en'),
        provideTestIcons(),
        provideRouter([{ path: 'voip-crm', component: HostComponent }]),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: Clipboard, useValue: { copy: (text: string) => (copied.push(text), true) } },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).login('me@velora.test', 'pw').subscribe();
    backend.expectOne('/api/auth/login').flush(makeSession(makeUser({ role })));
    harness = await RouterTestingHarness.create();
    host = await harness.navigateByUrl(url, HostComponent);
  }

  afterEach(() => {
    backend.verify();
    copied.length = 0;
    document.querySelectorAll('.cdk-overlay-container').forEach((node) => (node.innerHTML = ''));
  });

  it('lists the views of the screen and applies one', async () => {
    await open('/voip-crm');
    listRequest().flush([
      makeView(),
      makeView({ id: 'v2', name: 'Team view', shared: true, mine: false, editable: false, owner: { id: 'a', email: 'admin@velora.test' } }),
    ]);
    await settle();
    await openMenu();
    const items = overlay().querySelectorAll<HTMLButtonElement>('[data-testid="views-item"]');
    expect([...items].map((i) => i.textContent.replace(/\s+/g, ' ').trim())).toEqual([
      'Failed calls',
      expect.stringMatching(/^Team view ?· admin@velora\.test$/),
    ]);
    items[1].click();
    await settle();
    expect(host.applied.map((v) => v.name)).toEqual(['Team view']);
    expect(byTestId('views-selected', root()).textContent).toContain('Team view');
    // a shared view of someone else: a link, but no rename/delete
    await openMenu();
    expect(overlay().querySelector('[data-testid="views-copy-link"]')).not.toBeNull();
    expect(overlay().querySelector('[data-testid="views-rename"]')).toBeNull();
    expect(overlay().querySelector('[data-testid="views-delete"]')).toBeNull();
  });

  it('saves the current state under a name, keeping the range; agents cannot share', async () => {
    await open('/voip-crm');
    listRequest().flush([]);
    await settle();
    await openMenu();
    expect(byTestId('views-empty', overlay()).textContent).toContain('No saved views yet');
    byTestId('views-save', overlay()).click();
    await settle();
    expect(overlay().querySelector('[data-testid="view-shared"]')).toBeNull();
    const name = byInput('view-name', overlay());
    name.value = '  Failed this week ';
    name.dispatchEvent(new Event('input'));
    byTestId('view-submit', overlay()).click();
    await settle();
    const create = backend.expectOne((r) => r.method === 'POST' && r.url === '/api/views');
    expect(create.request.body).toEqual({
      name: 'Failed this week',
      scope: 'cdrs',
      shared: false,
      filters: { status: 'failed', from: '2026-11-20', to: '2026-11-24' },
      columns: ['start_time', 'caller', 'status'],
      time_zone: 'Europe/Istanbul',
    });
    const created = makeView({ name: 'Failed this week', filters: { status: 'failed', from: '2026-11-20', to: '2026-11-24' } });
    create.flush(created);
    await settle();
    listRequest().flush([created]);
    await settle();
    expect(byTestId('views-selected', root()).textContent).toContain('Failed this week');
    expect(root().querySelector('[data-testid="views-modified"]')).toBeNull();
  });

  it('lets an admin share a view and leave the range out', async () => {
    await open('/voip-crm', 'admin');
    listRequest().flush([]);
    await settle();
    await openMenu();
    byTestId('views-save', overlay()).click();
    await settle();
    const name = byInput('view-name', overlay());
    name.value = 'Team: failed';
    name.dispatchEvent(new Event('input'));
    byTestId('view-shared', overlay()).querySelector('input')!.click();
    byTestId('view-keep-dates', overlay()).querySelector('input')!.click();
    byTestId('view-submit', overlay()).click();
    await settle();
    const create = backend.expectOne((r) => r.method === 'POST' && r.url === '/api/views');
    expect(create.request.body).toMatchObject({ name: 'Team: failed', shared: true, filters: { status: 'failed' } });
    create.flush(makeView({ name: 'Team: failed', shared: true }));
    await settle();
    listRequest().flush([]);
  });

  it('opens ?view=<id>, marks it changed when the screen moves away, and saves the changes into it', async () => {
    await open(`/voip-crm?view=${ID}`);
    const view = makeView({ filters: { status: 'failed', from: '2026-11-20', to: '2026-11-24' } });
    backend.expectOne(`/api/views/${ID}`).flush(view);
    listRequest().flush([view]);
    await settle();
    expect(host.applied.map((v) => v.id)).toEqual([ID]);
    expect(root().querySelector('[data-testid="views-modified"]')).toBeNull();

    host.state.set({ ...STATE, filters: { status: 'busy' } });
    await settle();
    expect(byTestId('views-modified', root())).toBeTruthy();
    await openMenu();
    byTestId('views-update', overlay()).click();
    await settle();
    const patch = backend.expectOne((r) => r.method === 'PATCH' && r.url === `/api/views/${ID}`);
    expect(patch.request.body).toEqual({
      filters: { status: 'busy', from: '2026-11-20', to: '2026-11-24' },
      columns: ['start_time', 'caller', 'status'],
      time_zone: 'Europe/Istanbul',
    });
    patch.flush({ ...view, filters: { status: 'busy', from: '2026-11-20', to: '2026-11-24' } });
    await settle();
    listRequest().flush([]);
    await settle();
    expect(root().querySelector('[data-testid="views-modified"]')).toBeNull();
  });

  it('says so when the view of a link is gone, and drops ?view= from the URL', async () => {
    await open(`/voip-crm?view=${ID}&status=failed`);
    backend.expectOne(`/api/views/${ID}`).flush({ message: 'No saved view' }, { status: 404, statusText: 'Not Found' });
    listRequest().flush([]);
    await settle();
    expect(document.body.textContent).toContain('This view does not exist (any more), or it is private.');
    expect(TestBed.inject(Router).url).toBe('/voip-crm?status=failed');
    expect(host.applied).toEqual([]);
  });

  it('copies the shareable link, renames and deletes the selected view', async () => {
    await open('/voip-crm');
    listRequest().flush([makeView()]);
    await settle();
    await openMenu();
    byTestId('views-item', overlay()).click();
    await settle();

    await openMenu();
    byTestId('views-copy-link', overlay()).click();
    await settle();
    expect(copied).toEqual([`${location.origin}/voip-crm?view=${ID}`]);

    await openMenu();
    byTestId('views-rename', overlay()).click();
    await settle();
    const name = byInput('view-name', overlay());
    expect(name.value).toBe('Failed calls');
    name.value = 'Failed (old)';
    name.dispatchEvent(new Event('input'));
    byTestId('view-submit', overlay()).click();
    await settle();
    const rename = backend.expectOne((r) => r.method === 'PATCH' && r.url === `/api/views/${ID}`);
    expect(rename.request.body).toEqual({ name: 'Failed (old)' });
    rename.flush(makeView({ name: 'Failed (old)' }));
    await settle();
    listRequest().flush([makeView({ name: 'Failed (old)' })]);
    await settle();
    expect(byTestId('views-selected', root()).textContent).toContain('Failed (old)');

    await openMenu();
    byTestId('views-delete', overlay()).click();
    await settle();
    expect(byTestId('confirm-message', overlay()).textContent).toContain('Failed (old)');
    byTestId('confirm-ok', overlay()).click();
    await settle();
    backend.expectOne((r) => r.method === 'DELETE' && r.url === `/api/views/${ID}`).flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    listRequest().flush([]);
    await settle();
    expect(root().querySelector('[data-testid="views-selected"]')).toBeNull();
  });

  it('shows the API’s reason when a name is taken', async () => {
    await open('/voip-crm');
    listRequest().flush([]);
    await settle();
    await openMenu();
    byTestId('views-save', overlay()).click();
    await settle();
    const name = byInput('view-name', overlay());
    name.value = 'Failed calls';
    name.dispatchEvent(new Event('input'));
    byTestId('view-submit', overlay()).click();
    await settle();
    backend
      .expectOne((r) => r.method === 'POST' && r.url === '/api/views')
      .flush({ message: 'You already have a view with this name (name)' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(document.body.textContent).toContain('You already have a view with this name.');
  });
});

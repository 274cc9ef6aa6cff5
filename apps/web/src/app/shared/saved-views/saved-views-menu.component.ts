import { Clipboard } from '@angular/cdk/clipboard';
import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, output, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { SAVED_VIEW_QUERY_PARAM, type SavedView, type SavedViewScope } from '@velora/contracts';
import { Subject, catchError, combineLatest, distinctUntilChanged, filter, map, of, startWith, switchMap } from 'rxjs';
import { SavedViewsApiService } from '../../core/api/saved-views-api.service';
import { AuthService } from '../../core/auth/auth.service';
import { isApiError } from '../../core/http/api-error';
import { ConfirmDialogComponent, type ConfirmDialogData } from '../confirm-dialog/confirm-dialog.component';
import { SaveViewDialogComponent, type SaveViewDialogData, type SaveViewDialogResult } from './save-view-dialog.component';
import { toViewInput, viewContent, viewMatches, type SavedViewState } from './saved-view-state';

/**
 * "Görünümler / Views": saves what the screen shows as a named view (shared with everyone when an admin ticks it),
 * applies, renames, updates and deletes views, and copies a view's shareable link. Opening `?view=<id>` loads that
 * view and applies it. The page turns a view into its URL (`apply` output); this component only talks to /api/views.
 */
@Component({
  selector: 'vl-saved-views-menu',
  imports: [MatButtonModule, MatDividerModule, MatIconModule, MatMenuModule, MatTooltipModule, TranslocoPipe],
  templateUrl: './saved-views-menu.component.html',
  styleUrl: './saved-views-menu.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SavedViewsMenuComponent {
  readonly scope = input.required<SavedViewScope>();
  /** What the screen shows now. */
  readonly state = input.required<SavedViewState>();
  /** Show this view: the page writes its filters into the URL. */
  readonly apply = output<SavedView>();

  private readonly api = inject(SavedViewsApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);
  private readonly transloco = inject(TranslocoService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly document = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly canShare = inject(AuthService).isAdmin;

  private readonly reload$ = new Subject<void>();
  /** The views of this screen (own and shared), by name; null until loaded or when the list failed. */
  protected readonly views = toSignal(
    combineLatest([toObservable(this.scope), this.reload$.pipe(startWith(undefined))]).pipe(
      switchMap(([scope]) => this.api.list(scope).pipe(catchError(() => of(null)))),
    ),
    { initialValue: null },
  );
  /** The view last applied or saved here. */
  private readonly selectedView = signal<SavedView | null>(null);
  /** The selected view as last listed (a rename shows at once). */
  protected readonly selected = computed(() => {
    const view = this.selectedView();
    return view === null ? null : (this.views()?.find((v) => v.id === view.id) ?? view);
  });
  /** The screen no longer shows exactly the selected view. */
  protected readonly modified = computed(() => {
    const view = this.selected();
    return view !== null && !viewMatches(view, this.state());
  });

  constructor() {
    // `?view=<id>` (a shared link, a reload): load the view and show it
    this.route.queryParamMap
      .pipe(
        map((params) => params.get(SAVED_VIEW_QUERY_PARAM)),
        distinctUntilChanged(),
        filter((id): id is string => id !== null && id !== ''),
        switchMap((id) => this.api.get(id).pipe(catchError((error: unknown) => of({ id, error })))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((result) => {
        if ('error' in result) {
          this.notify(isApiError(result.error) && result.error.status === 404 ? 'views.notFound' : 'views.loadFailed');
          void this.router.navigate([], {
            relativeTo: this.route,
            queryParams: { [SAVED_VIEW_QUERY_PARAM]: null },
            queryParamsHandling: 'merge',
            replaceUrl: true,
          });
        } else {
          this.show(result);
        }
      });
  }

  protected showView(view: SavedView): void {
    this.show(view);
  }

  protected saveCurrent(): void {
    const state = this.state();
    this.dialog
      .open<SaveViewDialogComponent, SaveViewDialogData, SaveViewDialogResult>(SaveViewDialogComponent, {
        data: { mode: 'create', canShare: this.canShare(), hasDates: state.dates !== null },
      })
      .afterClosed()
      .pipe(
        filter((result): result is SaveViewDialogResult => result !== undefined),
        switchMap((result) => this.api.create(toViewInput(this.scope(), state, result))),
      )
      .subscribe({
        next: (view) => {
          this.selectedView.set(view);
          this.reload$.next();
          this.notify('views.saved', { name: view.name });
        },
        error: (error: unknown) => {
          this.fail(error);
        },
      });
  }

  /** Replaces the selected view's filters, columns and zone with what the screen shows now. */
  protected updateView(view: SavedView): void {
    const keepsDates = 'from' in view.filters || 'to' in view.filters;
    this.api.update(view.id, viewContent(this.state(), keepsDates)).subscribe({
      next: (updated) => {
        this.selectedView.set(updated);
        this.reload$.next();
        this.notify('views.updated', { name: updated.name });
      },
      error: (error: unknown) => {
        this.fail(error);
      },
    });
  }

  protected renameView(view: SavedView): void {
    this.dialog
      .open<SaveViewDialogComponent, SaveViewDialogData, SaveViewDialogResult>(SaveViewDialogComponent, {
        data: { mode: 'rename', name: view.name, canShare: false, hasDates: false },
      })
      .afterClosed()
      .pipe(
        filter((result): result is SaveViewDialogResult => result !== undefined && result.name !== view.name),
        switchMap((result) => this.api.update(view.id, { name: result.name })),
      )
      .subscribe({
        next: (renamed) => {
          this.selectedView.set(renamed);
          this.reload$.next();
          this.notify('views.renamed', { name: renamed.name });
        },
        error: (error: unknown) => {
          this.fail(error);
        },
      });
  }

  protected deleteView(view: SavedView): void {
    this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, {
        data: {
          titleKey: 'views.deleteTitle',
          messageKey: view.shared ? 'views.deleteSharedText' : 'views.deleteText',
          params: { name: view.name },
          confirmKey: 'views.delete',
          destructive: true,
        },
      })
      .afterClosed()
      .pipe(
        filter((confirmed) => confirmed === true),
        switchMap(() => this.api.delete(view.id)),
      )
      .subscribe({
        next: () => {
          this.selectedView.set(null);
          this.reload$.next();
          this.notify('views.deleted', { name: view.name });
        },
        error: (error: unknown) => {
          this.fail(error);
        },
      });
  }

  /** Copies the view's shareable link (`https://host/voip-crm?view=<id>`). */
  protected copyLink(view: SavedView): void {
    const origin = this.document.location.origin;
    const copied = this.clipboard.copy(`${origin}${view.url}`);
    this.notify(copied ? 'views.linkCopied' : 'views.linkNotCopied', { url: `${origin}${view.url}` });
  }

  private show(view: SavedView): void {
    this.selectedView.set(view);
    this.apply.emit(view);
  }

  private notify(key: string, params: Record<string, string> = {}): void {
    this.snackBar.open(this.transloco.translate(key, params), undefined, { duration: 4000 });
  }

  private fail(error: unknown): void {
    if (isApiError(error)) {
      const detail = error.details.join(' · ');
      this.snackBar.open(
        `${this.transloco.translate(error.status === 409 ? 'views.nameTaken' : error.messageKey, { status: error.status })}${detail === '' || error.status === 409 ? '' : ` — ${detail}`}`,
        undefined,
        { duration: 6000 },
      );
    } else {
      this.notify('views.failed');
    }
  }
}

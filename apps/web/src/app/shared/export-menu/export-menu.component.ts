import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { EXPORT_FORMATS, type ExportFormat } from '@velora/contracts';
import { API_BASE_URL } from '../../core/config/api-base-url.token';

/** The URL of an export: the endpoint, the screen's query (empty values left out) and the format. */
export function exportUrl(baseUrl: string, path: string, params: Readonly<Record<string, string | null | undefined>>, format: ExportFormat): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, value);
  }
  query.set('format', format);
  return `${baseUrl}${path}?${query.toString()}`;
}

/**
 * "Dışa aktar / Export": a menu with CSV and Excel that downloads what the screen shows (the API streams the file;
 * the session cookie goes with the link). The page passes the endpoint and its current query.
 */
@Component({
  selector: 'vl-export-menu',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, TranslocoPipe],
  template: `
    @if (iconOnly()) {
      <button
        mat-icon-button
        type="button"
        [matMenuTriggerFor]="menu"
        [attr.data-testid]="testId()"
        [attr.aria-label]="label() ?? ('export.button' | transloco)"
        [attr.title]="label() ?? ('export.button' | transloco)"
      >
        <mat-icon svgIcon="download" />
      </button>
    } @else {
      <button mat-stroked-button type="button" [matMenuTriggerFor]="menu" [attr.data-testid]="testId()">
        <mat-icon svgIcon="download" />
        {{ 'export.button' | transloco }}
      </button>
    }
    <mat-menu #menu="matMenu">
      @for (format of formats; track format) {
        <a mat-menu-item [href]="urls()[format]" download [attr.data-testid]="testId() + '-' + format">
          {{ 'export.format.' + format | transloco }}
        </a>
      }
    </mat-menu>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportMenuComponent {
  /** Endpoint path, e.g. `/api/sippy/cdrs/export`. */
  readonly path = input.required<string>();
  /** The screen's query: filters, columns, order, time zone. */
  readonly params = input.required<Readonly<Record<string, string | null | undefined>>>();
  readonly testId = input('export');
  /** A compact button for a table header (the label goes to aria-label). */
  readonly iconOnly = input(false);
  readonly label = input<string | null>(null);

  protected readonly formats = EXPORT_FORMATS;
  private readonly baseUrl = inject(API_BASE_URL);
  protected readonly urls = computed(
    () => Object.fromEntries(EXPORT_FORMATS.map((f) => [f, exportUrl(this.baseUrl, this.path(), this.params(), f)])) as Record<ExportFormat, string>,
  );
}

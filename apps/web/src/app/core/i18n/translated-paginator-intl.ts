import { Injectable, inject } from '@angular/core';
import { MatPaginatorIntl } from '@angular/material/paginator';
import { TranslocoService } from '@jsverse/transloco';

/** Paginator labels through Transloco, re-emitted on every language change. */
@Injectable()
export class TranslatedPaginatorIntl extends MatPaginatorIntl {
  private readonly transloco = inject(TranslocoService);

  constructor() {
    super();
    // Root singleton: lives as long as the app, so this subscription needs no teardown.
    this.transloco.selectTranslation().subscribe(() => {
      this.itemsPerPageLabel = this.transloco.translate('paginator.itemsPerPage');
      this.nextPageLabel = this.transloco.translate('paginator.next');
      this.previousPageLabel = this.transloco.translate('paginator.previous');
      this.firstPageLabel = this.transloco.translate('paginator.first');
      this.lastPageLabel = this.transloco.translate('paginator.last');
      this.changes.next();
    });
  }

  override getRangeLabel = (page: number, pageSize: number, length: number): string => {
    if (length === 0 || pageSize === 0) {
      return this.transloco.translate('paginator.rangeEmpty', { length });
    }
    const start = page * pageSize + 1;
    const end = Math.min(length, (page + 1) * pageSize);
    return this.transloco.translate('paginator.range', { start, end, length });
  };
}

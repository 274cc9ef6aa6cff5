import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { CdrDetail } from '../../../core/api/api.models';
import { makeCdr } from '../../../../testing/cdr.fixtures';
import { provideTestHttp, provideTestIcons, provideTestTransloco } from '../../../../testing/testing.providers';
import { CdrDetailSheetComponent, type CdrDetailSheetData } from './cdr-detail-sheet.component';

describe('CdrDetailSheetComponent', () => {
  async function render(data: CdrDetailSheetData) {
    TestBed.configureTestingModule({
      imports: [CdrDetailSheetComponent],
      providers: [
        provideTestTransloco('tr'),
        provideTestIcons(),
        ...provideTestHttp(),
        { provide: MAT_DIALOG_DATA, useValue: data },
        { provide: MatDialogRef, useValue: { close: () => undefined } },
      ],
    });
    const fixture = TestBed.createComponent(CdrDetailSheetComponent);
    await fixture.whenStable();
    return { fixture, backend: TestBed.inject(HttpTestingController), element: fixture.nativeElement as HTMLElement };
  }

  const field = (element: HTMLElement, key: string): { label: string; value: string } => ({
    label: element.querySelector(`[data-field="${key}"] dt`)?.textContent.trim() ?? '',
    value: element.querySelector(`[data-field="${key}"] dd`)?.textContent.replace(/\s+/g, ' ').trim() ?? '',
  });

  it('shows every field labelled in Turkish, times in the zone, and the raw record folded when the API sends it', async () => {
    const { fixture, backend, element } = await render({ id: '418238747', locale: 'tr-TR', timeZone: 'Europe/Istanbul' });
    const detail: CdrDetail = {
      ...makeCdr({ id: '418238747', start_time: '2026-11-24T10:00:00.000Z', cost: 0.125, currency: 'TRY', trunk: null }),
      pdd: 1.5,
      source: 'sippy',
      first_seen_at: '2026-11-24T10:05:00.000Z',
      updated_at: '2026-11-24T10:05:00.000Z',
      raw: { i_cdr: 418238747, pdd1xx: 1.5 },
    };
    backend.expectOne('/api/sippy/cdrs/418238747').flush(detail);
    await fixture.whenStable();
    expect(field(element, 'pdd')).toEqual({ label: 'Arama sonrası gecikme (PDD)', value: '1,5 s' });
    expect(field(element, 'start_time').value).toContain('13:00');
    expect(field(element, 'cost').value).toBe('0,125 TRY');
    expect(field(element, 'trunk').value).toBe('—');
    expect(field(element, 'status').value).toBe('Tamamlandı');
    const raw = element.querySelector('[data-testid="cdr-detail-raw"]');
    expect(raw?.hasAttribute('open')).toBe(false);
    expect(raw?.querySelector('pre')?.textContent).toContain('"pdd1xx": 1.5');
    backend.verify();
  });

  it('has no raw block without raw (not an admin) and says when the CDR does not exist', async () => {
    const { fixture, backend, element } = await render({ id: 'gone', locale: 'tr-TR', timeZone: null });
    backend.expectOne('/api/sippy/cdrs/gone').flush({ statusCode: 404, message: 'CDR gone not found' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="cdr-detail-error"]')?.textContent).toContain('Bu çağrı kaydı bulunamadı.');
    expect(element.querySelector('[data-testid="cdr-detail-raw"]')).toBeNull();
  });
});

import type { SavedView, SavedViewInput, SavedViewScope } from '@velora/contracts';

/** What a screen shows now, as a saved view would keep it. */
export interface SavedViewState {
  /** Filters and settings in the names of the screen's URL, without the date range. */
  readonly filters: Readonly<Record<string, string>>;
  /** The date range when the screen has one set (`from`/`to`); a view may keep it or leave it out. */
  readonly dates: Readonly<Record<string, string>> | null;
  /** CDR columns in display order (`cdrs`); empty for `reports`. */
  readonly columns: readonly string[];
  readonly timeZone: string;
}

/** The body that saves `state` as a view. */
export function toViewInput(
  scope: SavedViewScope,
  state: SavedViewState,
  options: { readonly name: string; readonly shared: boolean; readonly keepDates: boolean },
): SavedViewInput {
  return {
    name: options.name,
    scope,
    shared: options.shared,
    ...viewContent(state, options.keepDates),
  };
}

/** Filters, columns and zone of `state` (for a new view, or to replace a view's content). */
export function viewContent(state: SavedViewState, keepDates: boolean): Pick<SavedViewInput, 'filters' | 'columns' | 'time_zone'> {
  return {
    filters: { ...state.filters, ...(keepDates && state.dates !== null ? state.dates : {}) },
    columns: [...state.columns],
    time_zone: state.timeZone,
  };
}

/**
 * True when the screen shows exactly what `view` holds: the same filters, the same date range (a view without one
 * matches only a screen without one: it means "the latest days"), the same columns and zone.
 */
export function viewMatches(view: SavedView, state: SavedViewState): boolean {
  const content = viewContent(state, true);
  return (
    sameRecord(view.filters, content.filters) &&
    view.time_zone === content.time_zone &&
    JSON.stringify(view.columns) === JSON.stringify(content.columns)
  );
}

function sameRecord(a: Readonly<Record<string, string | number>>, b: Readonly<Record<string, string | number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && String(a[key]) === String(b[key]));
}

/** A view's filter as URL text, or null. */
export function filterText(view: SavedView, name: string): string | null {
  return Object.hasOwn(view.filters, name) ? String(view.filters[name]) : null;
}

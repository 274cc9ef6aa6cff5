import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CDR_FIELDS } from '@velora/sippy';
import type { AuthContext } from '../auth/auth.types';
import { NumberMaskingService, type UserMasker } from '../privacy/number-masking.service';
import { isUniqueViolation } from '../database/errors/unique-violation';
import type { CreateSavedViewDto, SavedViewDto, UpdateSavedViewDto } from './dto/saved-view.dto';
import { CdrViewFiltersDto, ReportViewFiltersDto } from './dto/view-filters.dto';
import { SavedViewsRepository, type SavedViewWithOwner } from './saved-views.repository';
import {
  DEFAULT_CDR_VIEW_COLUMNS,
  DEFAULT_VIEW_TIME_ZONE,
  MAX_VIEWS_PER_USER,
  PAGING_PARAMETERS,
  SAVED_VIEW_SORTS,
  savedViewUrl,
  type SavedViewScope,
  type SavedViewSort,
} from './saved-view.types';

/**
 * Saved views: the filters are validated against the DTO of the screen's own API (the CDR list for `cdrs`, the
 * reports for `reports`), so a view can only hold filters that API understands (a filter the API gains is at once
 * allowed in views, one it drops makes old views fail loudly on save rather than silently filter nothing). Users
 * see their own views and the shared ones; only admins share; the owner — or an admin, for a shared view — may
 * change or delete a view.
 */
@Injectable()
export class SavedViewsService {
  constructor(
    private readonly repository: SavedViewsRepository,
    private readonly masking: NumberMaskingService,
  ) {}

  async list(auth: AuthContext, scope?: SavedViewScope): Promise<SavedViewDto[]> {
    const rows = await this.repository.listVisible(auth.userId, scope);
    const masker = await this.masking.forUser(auth);
    return rows.map((row) => this.toDto(row, auth, masker));
  }

  async get(id: string, auth: AuthContext): Promise<SavedViewDto> {
    return this.toDto(await this.visible(id, auth), auth, await this.masking.forUser(auth));
  }

  async create(dto: CreateSavedViewDto, auth: AuthContext): Promise<SavedViewDto> {
    const shared = dto.shared ?? false;
    this.assertMayShare(shared, auth);
    if ((await this.repository.countOwned(auth.userId)) >= MAX_VIEWS_PER_USER) {
      throw new ConflictException(`At most ${String(MAX_VIEWS_PER_USER)} saved views per user: delete one first`);
    }
    const id = randomUUID();
    const content = validateViewContent(dto.scope, dto.filters, dto.columns);
    await this.uniqueName(() =>
      this.repository.insert({
        id,
        ownerId: auth.userId,
        name: dto.name.trim(),
        scope: dto.scope,
        shared,
        filters: content.filters,
        columns: content.columns,
        sort: dto.sort ?? SAVED_VIEW_SORTS[0],
        timeZone: dto.time_zone ?? DEFAULT_VIEW_TIME_ZONE,
      }),
    );
    return this.get(id, auth);
  }

  async update(id: string, dto: UpdateSavedViewDto, auth: AuthContext): Promise<SavedViewDto> {
    const view = await this.visible(id, auth);
    this.assertMayEdit(view, auth);
    if (dto.shared !== undefined) this.assertMayShare(dto.shared, auth);
    // The view must stay valid as a whole: a new scope re-checks the kept filters, and takes the new scope's
    // default columns unless the request names some.
    const scope = dto.scope ?? (view.scope as SavedViewScope);
    const scopeChanged = scope !== view.scope;
    const content =
      scopeChanged || dto.filters !== undefined || dto.columns !== undefined
        ? validateViewContent(scope, dto.filters ?? view.filters, dto.columns ?? (scopeChanged ? undefined : view.columns))
        : undefined;
    await this.uniqueName(() =>
      this.repository.update(id, {
        name: dto.name?.trim(),
        scope: dto.scope,
        shared: dto.shared,
        filters: content?.filters,
        columns: content?.columns,
        sort: dto.sort,
        timeZone: dto.time_zone,
      }),
    );
    return this.get(id, auth);
  }

  async delete(id: string, auth: AuthContext): Promise<void> {
    const view = await this.visible(id, auth);
    this.assertMayEdit(view, auth);
    await this.repository.delete(id);
  }

  /** A view the caller may see; someone else's private view is a 404 (its existence is not revealed). */
  private async visible(id: string, auth: AuthContext): Promise<SavedViewWithOwner> {
    const view = await this.repository.find(id);
    if (!view || (view.owner_id !== auth.userId && !view.shared)) throw new NotFoundException(`No saved view ${id}`);
    return view;
  }

  private mayEdit(view: SavedViewWithOwner, auth: AuthContext): boolean {
    return view.owner_id === auth.userId || (view.shared && auth.role === 'admin');
  }

  private assertMayEdit(view: SavedViewWithOwner, auth: AuthContext): void {
    if (!this.mayEdit(view, auth)) throw new ForbiddenException('Only the owner (or an admin, for a shared view) may change this view');
  }

  private assertMayShare(shared: boolean, auth: AuthContext): void {
    if (shared && auth.role !== 'admin') throw new ForbiddenException('Only admins share views with everyone');
  }

  private async uniqueName(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error: unknown) {
      if (isUniqueViolation(error)) throw new ConflictException('You already have a view with this name (name)');
      throw error;
    }
  }

  /**
   * `masker`: privacy (docs/security.md#privacy): a masked role sees the numbers in other users' (shared) views
   * masked; its own views hold only numbers it typed itself.
   */
  private toDto(row: SavedViewWithOwner, auth: AuthContext, masker?: UserMasker): SavedViewDto {
    const mine = row.owner_id === auth.userId;
    return {
      id: row.id,
      name: row.name,
      scope: row.scope as SavedViewScope,
      shared: row.shared,
      mine,
      editable: this.mayEdit(row, auth),
      owner: { id: row.owner_id, email: row.owner_email },
      filters: masker === undefined || mine ? row.filters : maskedFilters(row.filters, masker),
      columns: row.columns,
      sort: row.sort as SavedViewSort,
      time_zone: row.time_zone,
      url: savedViewUrl(row.scope as SavedViewScope, row.id),
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  }
}

function maskedFilters(filters: Record<string, string | number>, masker: UserMasker): Record<string, string | number> {
  if (!masker.masked) return filters;
  const copy = { ...filters };
  for (const key of ['caller', 'callee'] as const) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = masker.number(value) ?? value;
  }
  return copy;
}

const FILTER_DTOS = { cdrs: CdrViewFiltersDto, reports: ReportViewFiltersDto } as const;
const KNOWN_COLUMNS: ReadonlySet<string> = new Set(CDR_FIELDS);

/**
 * Checks a view's filters (with the DTO of its scope: the same rules as the screen's API) and columns, and returns
 * them as stored. One 400 lists every problem, naming each filter as `filters.<name>` and the columns as `columns`.
 */
export function validateViewContent(
  scope: SavedViewScope,
  filters: Record<string, unknown>,
  columns: readonly string[] | undefined,
): { filters: Record<string, string | number>; columns: string[] } {
  const errors = [...filterErrors(scope, filters), ...columnErrors(scope, columns)];
  if (errors.length > 0) throw new BadRequestException(errors);
  return {
    filters: filters as Record<string, string | number>,
    columns: columns === undefined ? (scope === 'cdrs' ? [...DEFAULT_CDR_VIEW_COLUMNS] : []) : [...columns],
  };
}

function filterErrors(scope: SavedViewScope, filters: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (PAGING_PARAMETERS.includes(name)) {
      errors.push(`filters.${name}: paging is not part of a view`);
    } else if (typeof value !== 'string' && typeof value !== 'number') {
      errors.push(`filters.${name} must be a string or a number`);
    } else {
      clean[name] = String(value);
    }
  }
  if (errors.length > 0) return errors;
  const dto = plainToInstance(FILTER_DTOS[scope], clean);
  const failures = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  return failures.flatMap((failure) => messagesOf(failure, scope));
}

function columnErrors(scope: SavedViewScope, columns: readonly string[] | undefined): string[] {
  if (columns === undefined) return [];
  if (scope === 'reports') {
    return columns.length === 0 ? [] : ['columns: a reports view has no columns (send [] or leave it out)'];
  }
  if (columns.length === 0) return ['columns must name at least one CDR field'];
  const unknown = columns.filter((c) => !KNOWN_COLUMNS.has(c));
  return unknown.length === 0 ? [] : [`columns must name CDR fields (${unknown.join(', ')}: unknown)`];
}

function messagesOf(error: ValidationError, scope: SavedViewScope): string[] {
  const constraints = Object.values(error.constraints ?? {});
  if (constraints.length === 0) return [`filters.${error.property} is invalid`];
  const what = scope === 'cdrs' ? 'a CDR filter' : 'a reports filter';
  return constraints.map((message) =>
    message.startsWith('property ') ? `filters.${error.property} is not ${what}` : `filters.${message}`,
  );
}

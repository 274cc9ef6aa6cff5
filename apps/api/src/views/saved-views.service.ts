import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AuthContext } from '../auth/auth.types';
import { isUniqueViolation } from '../database/errors/unique-violation';
import { CdrListQueryDto } from '../sippy/dto/cdr-list-query.dto';
import type { CreateSavedViewDto, SavedViewDto, UpdateSavedViewDto } from './dto/saved-view.dto';
import { SavedViewsRepository, type SavedViewWithOwner } from './saved-views.repository';
import {
  DEFAULT_VIEW_TIME_ZONE,
  MAX_VIEWS_PER_USER,
  PAGING_PARAMETERS,
  SAVED_VIEW_SORTS,
  type SavedViewScope,
  type SavedViewSort,
} from './saved-view.types';

/**
 * Saved views: validated against the CDR list's own filter DTO, so a view can only hold filters the list
 * understands (a filter the list gains is at once allowed in views, one it drops makes old views fail loudly on
 * save rather than silently filter nothing). Users see their own views and the shared ones; only admins share;
 * the owner — or an admin, for a shared view — may change or delete a view.
 */
@Injectable()
export class SavedViewsService {
  constructor(private readonly repository: SavedViewsRepository) {}

  async list(auth: AuthContext, scope?: SavedViewScope): Promise<SavedViewDto[]> {
    const rows = await this.repository.listVisible(auth.userId, scope);
    return rows.map((row) => this.toDto(row, auth));
  }

  async get(id: string, auth: AuthContext): Promise<SavedViewDto> {
    return this.toDto(await this.visible(id, auth), auth);
  }

  async create(dto: CreateSavedViewDto, auth: AuthContext): Promise<SavedViewDto> {
    const shared = dto.shared ?? false;
    this.assertMayShare(shared, auth);
    if ((await this.repository.countOwned(auth.userId)) >= MAX_VIEWS_PER_USER) {
      throw new ConflictException(`At most ${String(MAX_VIEWS_PER_USER)} saved views per user: delete one first`);
    }
    const id = randomUUID();
    await this.uniqueName(() =>
      this.repository.insert({
        id,
        ownerId: auth.userId,
        name: dto.name.trim(),
        scope: dto.scope,
        shared,
        filters: validateViewFilters(dto.filters),
        columns: dto.columns,
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
    await this.uniqueName(() =>
      this.repository.update(id, {
        name: dto.name?.trim(),
        scope: dto.scope,
        shared: dto.shared,
        filters: dto.filters === undefined ? undefined : validateViewFilters(dto.filters),
        columns: dto.columns,
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

  private toDto(row: SavedViewWithOwner, auth: AuthContext): SavedViewDto {
    return {
      id: row.id,
      name: row.name,
      scope: row.scope as SavedViewScope,
      shared: row.shared,
      mine: row.owner_id === auth.userId,
      editable: this.mayEdit(row, auth),
      owner: { id: row.owner_id, email: row.owner_email },
      filters: row.filters,
      columns: row.columns,
      sort: row.sort as SavedViewSort,
      time_zone: row.time_zone,
      url: `/views/${row.id}`,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  }
}

/**
 * Checks a view's filters with the CDR list's query DTO (the same rules as GET /api/sippy/cdrs) and returns them
 * as query-string values. A 400 names the offending filter as `filters.<name>`.
 */
export function validateViewFilters(filters: Record<string, unknown>): Record<string, string | number> {
  const errors: string[] = [];
  const clean: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (PAGING_PARAMETERS.includes(name)) {
      errors.push(`filters.${name}: paging is not part of a view`);
    } else if (typeof value !== 'string' && typeof value !== 'number') {
      errors.push(`filters.${name} must be a string or a number`);
    } else {
      clean[name] = value;
    }
  }
  if (errors.length === 0) {
    const dto = plainToInstance(CdrListQueryDto, Object.fromEntries(Object.entries(clean).map(([k, v]) => [k, String(v)])));
    const failures = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    errors.push(...failures.flatMap((failure) => messagesOf(failure)));
  }
  if (errors.length > 0) throw new BadRequestException(errors);
  return clean;
}

function messagesOf(error: ValidationError): string[] {
  const constraints = Object.values(error.constraints ?? {});
  if (constraints.length === 0) return [`filters.${error.property} is invalid`];
  return constraints.map((message) =>
    message.startsWith('property ') ? `filters.${error.property} is not a CDR filter` : `filters.${message}`,
  );
}

import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { SavedViewRow } from '../database/database.types';
import { toJsonb } from '../database/jsonb';
import type { SavedViewScope } from './saved-view.types';

export interface SavedViewWithOwner extends SavedViewRow {
  owner_email: string;
}

export interface NewSavedView {
  id: string;
  ownerId: string;
  name: string;
  scope: SavedViewScope;
  shared: boolean;
  filters: Record<string, string | number>;
  columns: string[];
  sort: string;
  timeZone: string;
}

export type SavedViewChanges = Partial<Omit<NewSavedView, 'id' | 'ownerId'>>;

/** The only code that touches `saved_views`. */
@Injectable()
export class SavedViewsRepository {
  constructor(private readonly database: DatabaseService) {}

  private selectWithOwner() {
    return this.database.db
      .selectFrom('saved_views as v')
      .innerJoin('users as u', 'u.id', 'v.owner_id')
      .selectAll('v')
      .select('u.email as owner_email');
  }

  /** The user's own views plus every shared one, by name. */
  listVisible(userId: string, scope?: SavedViewScope): Promise<SavedViewWithOwner[]> {
    let query = this.selectWithOwner().where((eb) => eb.or([eb('v.owner_id', '=', userId), eb('v.shared', '=', true)]));
    if (scope) query = query.where('v.scope', '=', scope);
    return query.orderBy('v.scope').orderBy((eb) => eb.fn('lower', ['v.name'])).orderBy('v.id').execute();
  }

  find(id: string): Promise<SavedViewWithOwner | undefined> {
    return this.selectWithOwner().where('v.id', '=', id).executeTakeFirst();
  }

  async countOwned(userId: string): Promise<number> {
    const row = await this.database.db
      .selectFrom('saved_views')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', userId)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async insert(view: NewSavedView): Promise<void> {
    await this.database.db
      .insertInto('saved_views')
      .values({
        id: view.id,
        owner_id: view.ownerId,
        name: view.name,
        scope: view.scope,
        shared: view.shared,
        filters: toJsonb(view.filters, 'filters'),
        columns: toJsonb(view.columns, 'columns'),
        sort: view.sort,
        time_zone: view.timeZone,
      })
      .execute();
  }

  async update(id: string, changes: SavedViewChanges): Promise<void> {
    await this.database.db
      .updateTable('saved_views')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.scope !== undefined && { scope: changes.scope }),
        ...(changes.shared !== undefined && { shared: changes.shared }),
        ...(changes.filters !== undefined && { filters: toJsonb(changes.filters, 'filters') }),
        ...(changes.columns !== undefined && { columns: toJsonb(changes.columns, 'columns') }),
        ...(changes.sort !== undefined && { sort: changes.sort }),
        ...(changes.timeZone !== undefined && { time_zone: changes.timeZone }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.database.db.deleteFrom('saved_views').where('id', '=', id).execute();
  }
}

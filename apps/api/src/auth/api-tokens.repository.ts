import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { ApiTokenRow } from '../database/database.types';

export interface NewApiToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  expiresAt: Date | null;
}

/** The only code that touches `api_tokens`. Stores the SHA-256 of each token, never the token. */
@Injectable()
export class ApiTokensRepository {
  constructor(private readonly database: DatabaseService) {}

  insert(token: NewApiToken): Promise<ApiTokenRow> {
    return this.database.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        user_id: token.userId,
        name: token.name,
        token_hash: token.tokenHash,
        prefix: token.prefix,
        expires_at: token.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findByHash(tokenHash: string): Promise<ApiTokenRow | undefined> {
    return this.database.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  findById(id: string): Promise<ApiTokenRow | undefined> {
    return this.database.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The tokens of one user (or of everyone), newest first, revoked ones included. */
  list(userId?: string): Promise<ApiTokenRow[]> {
    let query = this.database.db.selectFrom('api_tokens').selectAll();
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    return query.orderBy('created_at', 'desc').orderBy('id').execute();
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.database.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.database.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}

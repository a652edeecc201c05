import { type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/** True when a migration runs against PostgreSQL (migrations get a Kysely<any> and must work on both engines). */
export function isPostgres(db: Kysely<any>): boolean {
  return dialectOf(db) === 'postgres';
}

/** Adds an auto-incrementing integer primary key named id, the right way for each engine. */
export function withId<T extends string>(db: Kysely<any>, tb: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? tb.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : tb.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}


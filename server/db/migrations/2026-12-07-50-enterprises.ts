import type { Kysely } from 'kysely';
import { withId } from './helpers.ts';

// Enterprises served by cadres (万人助万企, 千名干部进千企): the enterprise register, the cadres and leaders linked to
// each one (包联干部, 首席服务官, 挂钩领导) with a visit plan per link, visit records (走访) with their photos, and the
// enterprise's projects in the library. Attraction leads link to enterprises through the problems module's index.

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('enterprises'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text') // 统一社会信用代码 (GB 32100), checked on write; unique when present
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id')) // the unit that serves it (township, park): data scope
    .addColumn('industry', 'text')
    .addColumn('size', 'text') // large | medium | small | micro (大型/中型/小型/微型)
    .addColumn('address', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('enterprises_uscc').on('enterprises').column('uscc').unique().execute();
  await db.schema.createIndex('enterprises_unit').on('enterprises').column('unit_id').execute();
  await db.schema.createIndex('enterprises_region').on('enterprises').column('region_code').execute();

  await withId(db, db.schema.createTable('enterprise_cadres'))
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprises.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id')) // the cadre's account, when they have one
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('post', 'text') // 职务 / unit
    .addColumn('role', 'text', (c) => c.notNull()) // cadre (包联干部) | chief (首席服务官) | leader (挂钩领导)
    .addColumn('phone', 'text')
    .addColumn('visit_every_months', 'integer') // the visit plan: at least one visit every N months; null = none
    .addColumn('linked_on', 'text', (c) => c.notNull()) // YYYY-MM-DD, the plan counts from it until a first visit
    .addColumn('unlinked_on', 'text')
    .execute();
  await db.schema.createIndex('enterprise_cadres_enterprise').on('enterprise_cadres').column('enterprise_id').execute();
  await db.schema.createIndex('enterprise_cadres_user').on('enterprise_cadres').column('user_id').execute();

  await withId(db, db.schema.createTable('enterprise_visits'))
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprises.id'))
    .addColumn('cadre_id', 'integer', (c) => c.references('enterprise_cadres.id')) // the link whose plan it fulfils
    .addColumn('visited_on', 'text', (c) => c.notNull()) // YYYY-MM-DD
    .addColumn('visitors', 'text', (c) => c.notNull()) // who went (names)
    .addColumn('content', 'text', (c) => c.notNull()) // what was discussed
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_visits_enterprise').on('enterprise_visits').columns(['enterprise_id', 'visited_on']).execute();
  await db.schema.createIndex('enterprise_visits_cadre').on('enterprise_visits').columns(['cadre_id', 'visited_on']).execute();

  await withId(db, db.schema.createTable('enterprise_visit_photos'))
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('enterprise_visits.id'))
    .addColumn('file_key', 'text', (c) => c.notNull()) // stored_files key
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enterprise_visit_photos_visit').on('enterprise_visit_photos').column('visit_id').execute();

  await db.schema.createTable('enterprise_projects')
    .addColumn('enterprise_id', 'integer', (c) => c.notNull().references('enterprises.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_projects_pk', ['enterprise_id', 'project_id'])
    .execute();
  await db.schema.createIndex('enterprise_projects_project').on('enterprise_projects').column('project_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['enterprise_projects', 'enterprise_visit_photos', 'enterprise_visits', 'enterprise_cadres', 'enterprises']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

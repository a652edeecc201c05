import type { Kysely } from 'kysely';

// Issue 17: a node plan's target date anchored the last nodes only, so a 计划开工 date was taken as 投产's. The plan
// may now name the node its target date is the finish of (the clerk's pick); without one the target label's node
// (开工 for 计划开工, 竣工验收 for 计划竣工, 投产 for 计划投产) is the anchor. No foreign key: deleting the node clears it
// in the service, and existing plans start without a pick (their label's node, found by name, anchors them).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('node_plans').addColumn('anchor_node_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('node_plans').dropColumn('anchor_node_id').execute();
}

// Indicator latency on an existing data directory (SQLite) or DATABASE_URL:
//   node bench/indicators.ts --data-dir /tmp/x [--year 2026] [--month 6] [--runs 30]
// Measures IndicatorService.getIndicators (headline figures + trend) for a few scopes, with and without a
// breakdown, and LightService.getLights for one township. Prints p50/p95 in milliseconds.
import { createDeps } from '../server/deps.ts';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { systemActor } from '../server/context.ts';
import { createIndicatorService, indicatorQuerySchema } from '../server/modules/indicators/index.ts';
import { createLightService, lightsQuerySchema } from '../server/modules/lights/index.ts';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, year: { type: 'string', default: '2026' }, month: { type: 'string', default: '6' }, runs: { type: 'string', default: '30' } } });
const database = openDatabase(loadConfig(values['data-dir'] ? { dataDir: values['data-dir'] } : {}));
await migrateToLatest(database.db);
const runs = Number(values.runs);
const actor = systemActor();
const service = createIndicatorService(createDeps(database.db));

async function measure(name: string, fn: () => Promise<unknown>, n = runs): Promise<void> {
  await fn(); // warm the page cache and the statement cache
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(1);
  console.log(`${name.padEnd(48)} p50 ${q(0.5).padStart(8)} ms   p95 ${q(0.95).padStart(8)} ms   (n=${n})`);
}

const county = await database.db.selectFrom('projects').select('region_code').limit(1).executeTakeFirst();
const township = county?.region_code;
const unit = await database.db.selectFrom('projects').select('unit_id').limit(1).executeTakeFirst();
const total = await database.db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`projects: ${total.n}; township ${township}; unit ${unit?.unit_id}`);
const q = (extra: Record<string, unknown>) => indicatorQuerySchema.parse({ year: values.year, month: values.month, ...extra });

await measure('whole portfolio', () => service.getIndicators(actor, q({})));
if (township) await measure(`region ${township}`, () => service.getIndicators(actor, q({ region: township })));
if (unit) await measure(`unit ${unit.unit_id}`, () => service.getIndicators(actor, q({ unit: unit.unit_id })));
await measure('stage=started', () => service.getIndicators(actor, q({ stage: 'started' })));
await measure('name search 新能源', () => service.getIndicators(actor, q({ q: '新能源' })));
await measure('whole portfolio + breakdown region,nature', () => service.getIndicators(actor, q({ breakdown: 'region,nature' })), Math.min(runs, 10));
if (township) {
  const lights = createLightService(createDeps(database.db));
  await measure(`lights region ${township}`, () => lights.getLights(actor, lightsQuerySchema.parse({ year: values.year, month: values.month, region: township })), Math.min(runs, 10));
}
await database.destroy();

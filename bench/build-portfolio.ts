// `node bench/build-portfolio.ts --size 10k|100k|1m --portfolio DIR [--seed S]`: builds the bench's SQLite portfolio
// into DIR (the cache `npm run bench -- --portfolio DIR` starts from) and prints the time of each phase (issue 16).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { buildSqlite } from './portfolio.ts';

const SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const { values } = parseArgs({ options: { size: { type: 'string', default: '10k' }, seed: { type: 'string', default: '1' }, portfolio: { type: 'string' } } });
const projects = SIZES[values.size.toLowerCase()];
if (!projects || !values.portfolio) {
  console.error('usage: node bench/build-portfolio.ts --size 10k|100k|1m --portfolio DIR [--seed S]');
  process.exit(2);
}
fs.mkdirSync(values.portfolio, { recursive: true });
// The bench's date (bench/run.ts AS_OF), so that a run with --portfolio DIR finds this build.
const built = await buildSqlite({ projects, seed: Number(values.seed), asOf: '2026-11-23', cacheDir: values.portfolio });
console.log(`built ${projects.toLocaleString('en')} projects in ${built.buildSeconds.toFixed(1)} s: ${built.result.reports.toLocaleString('en')} monthly reports, ${built.sizeMb} MB`);
console.log(JSON.stringify(built.result.phases ?? {}, null, 1));
await built.dispose();

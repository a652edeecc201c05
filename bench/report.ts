import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioResult } from './scenarios.ts';

/** The machine a run was taken on; load averages matter on a shared 2-core box. */
export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
  node: string;
  sqlite?: string;
  postgres?: string;
  load_average_at_start: number[];
  load_average_at_end?: number[];
}

/** Describes this machine; extra carries the engine version. */
export function machineInfo(extra: { sqlite?: string; postgres?: string }): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memory_gb: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    os: `${os.type()} ${os.release()}`, node: process.version, ...extra,
    load_average_at_start: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

export interface BenchRun {
  date: string;
  size: string;
  projects: number;
  engine: 'sqlite' | 'postgres';
  machine: Machine;
  build: { seconds: number; projects: number; monthly_reports: number; months: number; database_mb: number };
  total_seconds: number;
  scenarios: ScenarioResult[];
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1));

/** The markdown table of one run. */
export function toMarkdown(run: BenchRun): string {
  const m = run.machine;
  const lines = [
    `### ${run.size} projects on ${run.engine} — ${run.date}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.os}, Node ${m.node}${m.sqlite ? `, SQLite ${m.sqlite}` : ''}` +
      `${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}. Load average at start ${m.load_average_at_start.join(' / ')}` +
      `${m.load_average_at_end ? `, at end ${m.load_average_at_end.join(' / ')}` : ''}.`,
    '',
    `Build: ${run.build.projects.toLocaleString('en')} projects, ${run.build.monthly_reports.toLocaleString('en')} monthly reports (months 1–${run.build.months}) ` +
      `in ${run.build.seconds.toFixed(1)} s; database ${run.build.database_mb} MB. Whole run ${run.total_seconds.toFixed(0)} s.`,
    '',
    '| scenario | status | API median ms | API p95 ms | n | raw median ms | raw p95 ms | API ÷ raw | figures |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of run.scenarios) {
    const figures = Object.entries(s.figures ?? {}).filter(([k]) => k !== 'url').map(([k, v]) => `${k}=${String(v)}`).join(', ');
    lines.push(`| ${s.id} | ${s.status}${s.note ? ` (${s.note})` : ''} | ${ms(s.api?.median)} | ${ms(s.api?.p95)} | ${s.api?.n ?? ''} | ${ms(s.raw?.median)} | ${ms(s.raw?.p95)} | ${s.ratio ?? ''} | ${figures} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes bench/results/<date>-<size>[-pg].json and .md; returns the markdown. */
export function writeResults(run: BenchRun, dir: string): { json: string; md: string; markdown: string } {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${run.date}-${run.size}${run.engine === 'postgres' ? '-pg' : ''}`);
  const markdown = toMarkdown(run);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, markdown);
  return { json: `${base}.json`, md: `${base}.md`, markdown };
}

/** Replaces the run's block between its markers in docs/performance.md (adds the block when missing). */
export function updatePerformanceDoc(docPath: string, run: BenchRun, markdown: string): void {
  if (!fs.existsSync(docPath)) return;
  const key = `${run.size}-${run.engine}`;
  const begin = `<!-- bench:${key}:begin -->`;
  const end = `<!-- bench:${key}:end -->`;
  const doc = fs.readFileSync(docPath, 'utf8');
  const block = `${begin}\n${markdown}${end}`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  const next = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(docPath, next);
}

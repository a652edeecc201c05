// Sign-in under a flood of unknown names (issue 14, item 4): a legitimate sign-in's latency alone and while
// autocannon sends unknown usernames at 60 concurrent connections (the per-address limit lifted, as when the
// flood comes from rotating addresses). During the flood, 'alice' signs in from a known device (the docket_device
// cookie her earlier sign-in set, as a browser keeps it) and 'bob' from an unknown one (no cookie), alternating.
// Usage: node bench/login-flood.ts [--root <checkout>] [--seconds 10] [--cpu-prof <dir>]
// (--root runs another checkout's server, e.g. the commit before the fix, with this script's client; --cpu-prof
// writes the server's CPU profile into <dir> when it stops, to open in Chrome's DevTools).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { freePort } from './server.ts';
import { quantile } from './measure.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const root = path.resolve(arg('root', path.resolve(import.meta.dirname, '..')));
const seconds = Number(arg('seconds', '10'));
const cpuProf = arg('cpu-prof', '');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-flood-'));
const docket = path.join(root, 'bin/docket.js');
execFileSync(process.execPath, [docket, '--data-dir', dataDir, 'user', 'add', 'alice', '--role', 'office', '--password', 'Docket#2026'], { stdio: 'ignore' });
// 三员: a business account made from the CLI waits for the security administrator's approval.
execFileSync(process.execPath, [docket, '--data-dir', dataDir, 'user', 'add', 'sec', '--role', 'secadmin', '--password', 'Docket#2026'], { stdio: 'ignore' });
execFileSync(process.execPath, [docket, '--data-dir', dataDir, 'user', 'approve', 'alice', '--as', 'sec', '--password', 'Docket#2026'], { stdio: 'ignore' });
execFileSync(process.execPath, [docket, '--data-dir', dataDir, 'user', 'add', 'bob', '--role', 'office', '--password', 'Docket#2026'], { stdio: 'ignore' });
execFileSync(process.execPath, [docket, '--data-dir', dataDir, 'user', 'approve', 'bob', '--as', 'sec', '--password', 'Docket#2026'], { stdio: 'ignore' });
// Accounts for the timing oracle: one wrong password each (below the lockout), against as many unknown names.
const probes = 20;
for (let i = 0; i < probes; i++) execFileSync(process.execPath, [docket, '--data-dir', dataDir, 'user', 'add', `real${i}`, '--role', 'office', '--password', 'Docket#2026'], { stdio: 'ignore' });
const port = await freePort();
const env = { ...process.env, DOCKET_LOG_LEVEL: 'warn', DATABASE_URL: '', DOCKET_LOGIN_RATE_LIMIT: '1000000', DOCKET_LIGHTS_WARMUP_SECONDS: '0' };
const child = spawn(process.execPath, [...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(cpuProf)] : []), docket, '--data-dir', dataDir, 'serve', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: 'ignore' });
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) break;
    } catch { /* not yet listening */ }
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  // alice's browser keeps the known-device cookie (absent before the change: then both sign in alike).
  let device: string | undefined;
  const signIn = async (username = 'alice') => {
    const t0 = performance.now();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (username === 'alice' && device) headers.cookie = device;
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username, password: 'Docket#2026' }) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`legitimate sign-in of ${username} answered ${res.status}`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('docket_device='));
    if (username === 'alice' && set) device = set.split(';')[0];
    return performance.now() - t0;
  };
  const alone: number[] = [];
  for (let i = 0; i < 5; i++) alone.push(await signIn());
  // A wrong password for a real account against an unknown name, alternating: the two must not be told apart.
  const wrongFor = async (username: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Wrong#2026x' }) });
    await res.arrayBuffer();
    if (res.status !== 401) throw new Error(`wrong sign-in answered ${res.status}`);
    return performance.now() - t0;
  };
  const realWrong: number[] = [];
  const unknown: number[] = [];
  await wrongFor('ghost-warm'); // the dummy hash is made on the first unknown name
  for (let i = 0; i < probes; i++) {
    // Alternate which goes first, so that neither side always follows the other.
    if (i % 2 === 0) realWrong.push(await wrongFor(`real${i}`));
    unknown.push(await wrongFor(`ghost${i}`));
    if (i % 2 === 1) realWrong.push(await wrongFor(`real${i}`));
  }
  const p50 = (xs: number[]) => Math.round(quantile([...xs].sort((a, b) => a - b), 0.5) * 10) / 10;
  let n = 0;
  const flood = autocannon({
    url: `${base}/api/v1/auth/login`, connections: 60, duration: seconds, method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ username: `nobody${n++}`, password: 'x' }) }) }],
  });
  await new Promise((r) => setTimeout(r, 2000));
  const during: number[] = [];
  const duringUnknown: number[] = [];
  const refusedUnknown: number[] = [];
  while (during.length < 8) {
    during.push(await signIn('alice'));
    try {
      duringUnknown.push(await signIn('bob'));
    } catch {
      refusedUnknown.push(1); // 429: the flood lane was full
    }
  }
  const result = await flood;
  const codes = result.statusCodeStats;
  console.log(JSON.stringify({
    root, seconds,
    timing_oracle_ms: { wrong_password_real_account_p50: p50(realWrong), unknown_name_p50: p50(unknown) },
    alone_ms: { p50: Math.round(quantile([...alone].sort((a, b) => a - b), 0.5)), max: Math.round(Math.max(...alone)) },
    known_device: device !== undefined,
    during_flood_ms: { p50: Math.round(quantile([...during].sort((a, b) => a - b), 0.5)), max: Math.round(Math.max(...during)), all: during.map(Math.round) },
    unknown_device_during_flood_ms: duringUnknown.length ? { p50: Math.round(quantile([...duringUnknown].sort((a, b) => a - b), 0.5)), max: Math.round(Math.max(...duringUnknown)), all: duringUnknown.map(Math.round), refused: refusedUnknown.length } : { refused: refusedUnknown.length },
    flood: { requests: result.requests.total, latency_p50_ms: result.latency.p50, status: Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, v.count])) },
  }, null, 1));
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited; // the CPU profile is written as the server exits
  fs.rmSync(dataDir, { recursive: true, force: true });
}

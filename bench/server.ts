import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuMsOf } from './measure.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A Docket server running as its own process (`docket serve`) on 127.0.0.1, as an office would run it. */
export interface RunningServer {
  base: string;
  pid: number;
  /** Milliseconds from spawning the process to the first answer of /api/v1/health. */
  healthyAfterMs: number;
  /** CPU milliseconds the process had used by then (independent of how loaded the machine is). */
  cpuMsAtHealthy: number;
  stop(): Promise<void>;
}

/** Starts `docket serve` on loopback over the data directory (or DATABASE_URL) and waits for its first answer. */
export async function startServer(opts: { dataDir: string; databaseUrl?: string; timeoutMs?: number }): Promise<RunningServer> {
  const port = await freePort();
  const started = performance.now();
  // The month-end surge signs in dozens of unit reporters from one address: lift the per-address login limit.
  const env = { ...process.env, DOCKET_LOG_LEVEL: 'warn', DATABASE_URL: opts.databaseUrl ?? '', DOCKET_LOGIN_RATE_LIMIT: '100000', DOCKET_LIGHTS_WARMUP_SECONDS: '0', DOCKET_SQL_PROFILE: process.env.DOCKET_BENCH_SQL_PROFILE ?? '' };
  const child: ChildProcess = spawn(process.execPath, [...(process.env.DOCKET_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), path.join(ROOT, 'bin/docket.js'), '--data-dir', opts.dataDir, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
    env, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const base = `http://127.0.0.1:${port}`;
  const deadline = started + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docket serve exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) {
        await res.arrayBuffer();
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docket serve did not answer within ${opts.timeoutMs ?? 60_000} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const healthyAfterMs = performance.now() - started;
  return {
    base, pid: child.pid!, healthyAfterMs, cpuMsAtHealthy: cpuMsOf(child.pid!),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    }),
  };
}

/** A signed-in session: the Cookie header, and the CSRF token writes must echo (when the server issues one). */
export interface Session {
  cookie: string;
  csrf: string | null;
}

/** Headers for a write request in the session: cookies, the CSRF header, JSON. */
export function writeHeaders(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'content-type': 'application/json', ...(session.csrf ? { 'x-csrf-token': session.csrf } : {}) };
}

/** Signs in; keeps every cookie the server sets and the CSRF token of the answer. */
export async function login(base: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${text.slice(0, 300)}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => !c.endsWith('='));
  if (!cookies.some((c) => c.startsWith('docket_session='))) throw new Error('no session cookie');
  const body = JSON.parse(text) as { csrf_token?: string };
  const csrfCookie = cookies.find((c) => c.startsWith('docket_csrf='))?.slice('docket_csrf='.length);
  return { cookie: cookies.join('; '), csrf: body.csrf_token ?? csrfCookie ?? null };
}

/** GET that fails loudly on a non-2xx answer and returns the parsed JSON. */
export async function getJson(base: string, url: string, cookie: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(base + url, { headers: { cookie } });
  } catch (err) {
    // A kept-alive connection the server closed while the bench was busy elsewhere (a scenario's direct count at 1M
    // outlasted the server's keep-alive timeout on a loaded machine): 'fetch failed' before the request was sent.
    // Once (the pool has dropped the dead socket); a second failure is real.
    if (!(err instanceof TypeError)) throw err;
    res = await fetch(base + url, { headers: { cookie } });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

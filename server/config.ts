import path from 'node:path';

/** Runtime configuration, read once from the environment and command-line overrides. */
export interface Config {
  /** Folder for the SQLite file, uploads and archives. */
  dataDir: string;
  /** A postgres:// URL selects PostgreSQL; otherwise SQLite under dataDir. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
  /** Log level for the HTTP server; 'silent' in tests. */
  logLevel: string;
  /** Folder with the built web app (vite build output). */
  webDir: string;
  /** Sign-in attempts per minute and client IP (the per-account lockout is separate, in the database). */
  loginRateLimit: number;
  /**
   * Which proxies' forwarding headers (X-Forwarded-For/-Proto/-Host) are believed, as Fastify's trustProxy: false
   * (the default: the socket's address is the client's), a hop count, or addresses/CIDRs ('127.0.0.1,10.0.0.0/8').
   * From DOCKET_TRUST_PROXY.
   */
  trustProxy: boolean | number | string[];
  /** The audit anchor key (default <dataDir>/audit-anchor.key; DOCKET_AUDIT_ANCHOR_KEY): keep it out of the database's reach. */
  auditAnchorKeyFile?: string;
  /** The append-only anchor file (default <dataDir>/audit-anchors.jsonl; DOCKET_AUDIT_ANCHOR_FILE). */
  auditAnchorFile?: string;
  /** Seconds between anchors of the audit chain head (0: none; DOCKET_AUDIT_ANCHOR_SECONDS, default 300). */
  auditAnchorSeconds: number;
  /** Minutes between background fills of this and last month's light snapshots (0: none; the first read fills). */
  lightsWarmupSeconds: number;
  /** Parse every response against its route's response schema and fail on a mismatch (tests; DOCKET_CHECK_RESPONSES=1). */
  checkResponses: boolean;
}

/** Builds a Config from environment variables, with explicit overrides winning. */
export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.DOCKET_DATA_DIR ?? 'data');
  return {
    dataDir,
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    host: overrides.host ?? env.DOCKET_HOST ?? '127.0.0.1',
    port: overrides.port ?? Number(env.PORT ?? env.DOCKET_PORT ?? 3000),
    bodyLimit: overrides.bodyLimit ?? 2 * 1024 * 1024,
    logLevel: overrides.logLevel ?? env.DOCKET_LOG_LEVEL ?? 'info',
    webDir: overrides.webDir ?? path.join(repositoryRoot(), 'dist', 'web'),
    loginRateLimit: overrides.loginRateLimit ?? Number(env.DOCKET_LOGIN_RATE_LIMIT ?? 20),
    auditAnchorKeyFile: overrides.auditAnchorKeyFile ?? (env.DOCKET_AUDIT_ANCHOR_KEY || undefined),
    auditAnchorFile: overrides.auditAnchorFile ?? (env.DOCKET_AUDIT_ANCHOR_FILE || undefined),
    auditAnchorSeconds: overrides.auditAnchorSeconds ?? Number(env.DOCKET_AUDIT_ANCHOR_SECONDS ?? 300),
    trustProxy: overrides.trustProxy ?? parseTrustProxy(env.DOCKET_TRUST_PROXY),
    lightsWarmupSeconds: overrides.lightsWarmupSeconds ?? Number(env.DOCKET_LIGHTS_WARMUP_SECONDS ?? 30),
    checkResponses: overrides.checkResponses ?? env.DOCKET_CHECK_RESPONSES === '1',
  };
}

/** DOCKET_TRUST_PROXY: unset, '', 'false' or '0' → false; 'true' → every hop; a number → that many hops; else a list. */
export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** True when the URL names a PostgreSQL server. */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * The repository's root: one up from server/, or three up when this runs compiled from dist/server/server/ (npm run
 * build:server, what bin/docket.js runs in production).
 */
export function repositoryRoot(here = import.meta.dirname): string {
  const compiled = path.join('dist', 'server', 'server');
  return here.endsWith(path.sep + compiled) ? path.resolve(here, '..', '..', '..') : path.resolve(here, '..');
}

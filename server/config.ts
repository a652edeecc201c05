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
  /** Minutes between background fills of this and last month's light snapshots (0: none; the first read fills). */
  lightsWarmupSeconds: number;
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
    webDir: overrides.webDir ?? path.resolve(import.meta.dirname, '..', 'dist', 'web'),
    loginRateLimit: overrides.loginRateLimit ?? Number(env.DOCKET_LOGIN_RATE_LIMIT ?? 20),
    lightsWarmupSeconds: overrides.lightsWarmupSeconds ?? Number(env.DOCKET_LIGHTS_WARMUP_SECONDS ?? 30),
  };
}

/** True when the URL names a PostgreSQL server. */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

import type { Command } from 'commander';
import { loadConfig, type Config } from '../server/config.ts';

/** The configuration for a command, honouring the global --data-dir option. */
export function configFrom(cmd: Command): Config {
  const opts = cmd.optsWithGlobals<{ dataDir?: string }>();
  return loadConfig(opts.dataDir ? { dataDir: opts.dataDir } : {});
}

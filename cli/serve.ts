import type { Command } from 'commander';
import { configFrom } from './config.ts';
import { startServer } from '../server/main.ts';

/** `docket serve`: migrate and listen. */
export function registerServe(program: Command): void {
  program.command('serve')
    .description('start the web server (migrates first)')
    .option('--port <port>', 'port', (v) => Number(v))
    .option('--host <host>', 'host to bind')
    .action(async (opts: { port?: number; host?: string }, cmd: Command) => {
      const base = configFrom(cmd);
      const config = { ...base, port: opts.port ?? base.port, host: opts.host ?? base.host };
      const { url } = await startServer(config);
      console.log(`Docket 已启动 / listening: ${url.replace('127.0.0.1', 'localhost')}`);
    });
}

#!/usr/bin/env node
// Entry of the `docket` command. It runs the compiled JavaScript in dist/server (`npm run build:server`) when that
// build is at least as new as every TypeScript source of the server, CLI and core; otherwise the TypeScript sources
// directly (Node >= 22.12 strips the types). The compiled build matters under an address-space limit (ulimit -v):
// Node's type stripping is a WebAssembly module that reserves ~8 GB of address space in every process and worker
// thread that loads a .ts file (issue 14, item 12).
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Docket needs Node.js >= 22.12 (24 LTS recommended); this is ${process.versions.node}. Run: npm run setup`);
  process.exit(1);
}

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist/server/cli/main.js');

/** Newest modification time (ms) of a .ts source under these folders of the repository. */
function newestSource(dirs) {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      const mtime = fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs;
      if (mtime > newest) newest = mtime;
    }
  }
  return newest;
}

function compiledIsCurrent() {
  if (process.env.DOCKET_FROM_SOURCE === '1') return false;
  let builtAt;
  try {
    builtAt = fs.statSync(built).mtimeMs;
  } catch {
    return false; // not built: the sources
  }
  if (newestSource(['server', 'core', 'cli']) <= builtAt) return true;
  console.error('dist/server is older than the sources: running the TypeScript sources (npm run build:server compiles them)');
  return false;
}

// Node keeps the compiled code of every module it loads in a cache directory (NODE_COMPILE_CACHE when set, otherwise
// under the system's temporary directory) and reuses it on the next start: a CLI command or `docket serve` starts in
// about half the CPU (1.7 -> 0.85 s measured for `docket --help` from the TypeScript sources). NODE_DISABLE_COMPILE_CACHE=1
// turns it off.
module.enableCompileCache?.();
await import(compiledIsCurrent() ? built : '../cli/main.ts');

#!/usr/bin/env node
// Entry of the `docket` command. Node >= 22.12 runs the TypeScript sources directly (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Docket needs Node.js >= 22.12 (24 LTS recommended); this is ${process.versions.node}. Run: npm run setup`);
  process.exit(1);
}
await import('../cli/main.ts');

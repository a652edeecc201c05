import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, repositoryRoot } from './config.ts';

// Issue 14, item 12: production runs the compiled build in dist/server/, from where the web app is still the
// repository's dist/web (three levels up from dist/server/server/, not one).
describe('repositoryRoot', () => {
  it('is one up from the sources and three up from the compiled build', () => {
    const root = path.resolve('/srv/docket');
    expect(repositoryRoot(path.join(root, 'server'))).toBe(root);
    expect(repositoryRoot(path.join(root, 'dist', 'server', 'server'))).toBe(root);
  });

  it('puts the web app in the repository\'s dist/web when running from the sources', () => {
    expect(loadConfig({}).webDir).toBe(path.resolve(import.meta.dirname, '..', 'dist', 'web'));
  });
});

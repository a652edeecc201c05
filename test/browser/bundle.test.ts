import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

const webDir = loadConfig({}, {}).webDir;

/** The scripts a first visit loads: index.html's module entry and its modulepreloads. */
function initialScripts(): string[] {
  const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
}

describe('the built web app', () => {
  it('keeps the initial JavaScript under 600 kB gzip and leaves ECharts out of it', () => {
    const scripts = initialScripts();
    expect(scripts.length).toBeGreaterThan(0);
    let gzip = 0;
    for (const s of scripts) {
      const code = fs.readFileSync(path.join(webDir, s));
      gzip += zlib.gzipSync(code, { level: 9 }).length;
      // ZRender is ECharts' renderer: its name in the initial code would mean ECharts is loaded eagerly.
      expect(code.toString('utf8')).not.toContain('zrender');
    }
    console.log(`initial JS: ${scripts.length} files, ${(gzip / 1024).toFixed(1)} kB gzip`);
    expect(gzip).toBeLessThan(600 * 1024);
    const lazy = fs.readdirSync(path.join(webDir, 'assets')).filter((f) => f.endsWith('.js') && fs.readFileSync(path.join(webDir, 'assets', f), 'utf8').includes('zrender'));
    expect(lazy.length).toBeGreaterThan(0);
  });

  it('references nothing outside the server (no CDN, no online font)', () => {
    const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const css = fs.readdirSync(path.join(webDir, 'assets')).filter((f) => f.endsWith('.css'));
    for (const f of css) expect(fs.readFileSync(path.join(webDir, 'assets', f), 'utf8')).not.toMatch(/url\((['"])?(https?:)?\/\//);
  });
});

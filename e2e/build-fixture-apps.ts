// Playwright globalSetup: builds the fixture apps that need a bundler (React chat kits) into
// .tmp/fixture-apps/, which the fixture server serves under /apps/. Not part of `npm run build`:
// these are test fixtures. Skipped when the output is newer than every source file.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const repo = join(import.meta.dirname, '..');
const APPS = ['assistant-ui'];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default async function buildFixtureApps(): Promise<void> {
  for (const app of APPS) {
    const source = join(repo, 'e2e', 'apps', app);
    const out = join(repo, '.tmp', 'fixture-apps', app);
    const stamp = join(out, 'index.html');
    const inputs = Math.max(newest(source), statSync(join(repo, 'e2e', 'fixtures', 'scripted-bot.js')).mtimeMs, statSync(join(repo, 'package-lock.json')).mtimeMs);
    if (existsSync(stamp) && statSync(stamp).mtimeMs > inputs) continue;
    // Built beside and renamed into place, so a run sharing the tree never serves half a build.
    const temp = `${out}.${process.pid}`;
    mkdirSync(join(repo, '.tmp', 'fixture-apps'), { recursive: true });
    await build({
      configFile: false,
      root: source,
      base: `/apps/${app}/`,
      logLevel: 'error',
      oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        outDir: temp,
        emptyOutDir: true,
        target: 'es2022',
        rollupOptions: { input: readdirSync(source).filter((f) => f.endsWith('.html')).map((f) => join(source, f)) },
      },
    });
    try {
      rmSync(out, { recursive: true, force: true });
      renameSync(temp, out);
    } catch (error) {
      // Another run built and renamed it first: theirs is as good as ours.
      rmSync(temp, { recursive: true, force: true });
      if (!existsSync(stamp)) throw error;
    }
  }
}

// npm run build: the widget (ESM entries + lazy chunks), the classic loader, the dashboard, and
// the package's type declarations.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'vite';

rmSync('dist', { recursive: true, force: true });
for (const mode of ['widget', 'loader', 'dashboard']) {
  await build({ configFile: 'vite.config.ts', mode });
}
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/chatpulse.js, dist/esm/, dist/dashboard/, dist/types/');

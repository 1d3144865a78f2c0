#!/usr/bin/env node
// `npx chatpulse sites …`: the collector's command line. The collector is TypeScript run through
// tsx (as `npm start` does), so this registers tsx's loader and imports the CLI module.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/collector/cli.ts');
try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  console.error(`chatpulse: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

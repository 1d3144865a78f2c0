import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

// One config, three builds (see scripts/build.mjs):
//   widget    → dist/esm/: the package entries and the script-tag engine, with lazy chunks
//   loader    → dist/chatpulse.js: the classic script a site pastes
//   dashboard → dist/dashboard/: the collector's dashboard app
const root = import.meta.dirname;
const debugBuild = process.env.CHATPULSE_DEBUG_BUILD === '1';

const shared: UserConfig = {
  define: { __CHATPULSE_DEBUG__: JSON.stringify(debugBuild) },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  logLevel: 'warn',
};

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'loader') {
    return {
      ...shared,
      build: {
        outDir: 'dist',
        emptyOutDir: false,
        target: 'es2020',
        minify: true,
        lib: { entry: resolve(root, 'src/widget/loader.ts'), formats: ['iife'], name: 'ChatPulseLoader', fileName: () => 'chatpulse.js' },
      },
    };
  }
  if (mode === 'dashboard') {
    return {
      ...shared,
      root: resolve(root, 'src/dashboard'),
      base: '/',
      build: { outDir: resolve(root, 'dist/dashboard'), emptyOutDir: true, target: 'es2022' },
    };
  }
  return {
    ...shared,
    build: {
      outDir: 'dist/esm',
      emptyOutDir: true,
      target: 'es2020',
      minify: true,
      lib: {
        entry: {
          index: resolve(root, 'src/widget/index.ts'),
          core: resolve(root, 'src/widget/core.ts'),
          sentiment: resolve(root, 'src/sentiment/index.ts'),
        },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rollupOptions: {
        // Library mode leaves whitespace in ES output; the script-tag budget needs it gone.
        output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
      },
    },
  };
});

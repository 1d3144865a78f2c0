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
    // Relative asset URLs: the widget is served from wherever dist/ is, usually another origin.
    base: './',
    worker: { format: 'es', rolldownOptions: { output: { minify: true } } },
    build: {
      outDir: 'dist/esm',
      emptyOutDir: true,
      target: 'es2020',
      // Not library mode: that keeps whitespace in ES output, and the script-tag budget is tight.
      // esbuild's minifier also gives a smaller engine than oxc's for this code.
      minify: 'esbuild',
      modulePreload: false,
      copyPublicDir: false,
      rollupOptions: {
        input: {
          index: resolve(root, 'src/widget/index.ts'),
          core: resolve(root, 'src/widget/core.ts'),
          sentiment: resolve(root, 'src/sentiment/index.ts'),
        },
        preserveEntrySignatures: 'strict',
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
      },
    },
  };
});

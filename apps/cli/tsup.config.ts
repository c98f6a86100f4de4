import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts', 'convert-worker': 'src/convert-worker.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
  // The reference app is loaded at run time by `serve` and `admin`, never bundled.
  external: ['@motcua/web'],
});

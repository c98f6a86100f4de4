import { defineConfig, type Options } from 'tsup';

/** The build of every library package: ESM + CJS + .d.ts from src/index.ts (TypeScript 6 needs ignoreDeprecations). */
export function libraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    ...overrides,
  });
}

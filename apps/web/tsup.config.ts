import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  platform: 'node',
  external: ['@electric-sql/pglite', 'pg'],
});

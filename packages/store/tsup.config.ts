import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({ platform: 'node', external: ['@electric-sql/pglite', 'pg'] });

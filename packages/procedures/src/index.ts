// @motcua/procedures: the public surface. Re-exports only.

export {
  Catalogue,
  type CatalogueChange,
  defineCatalogue,
  defineProcedure,
  diffCatalogues,
  layerCatalogues,
  seedCatalogue,
} from './catalogue.js';
export {
  CATALOGUE_COLUMNS,
  type CatalogueColumn,
  CatalogueImportError,
  catalogueTemplate,
  exportCatalogue,
  type ImportResult,
  importCatalogue,
  type RowError,
} from './io.js';
export { limitText, parseLimitText } from './limit-text.js';
export {
  type CatalogueProcedure,
  type CatalogueProcedureInput,
  CatalogueProcedureSchema,
  InternalStepSchema,
  type RequiredDocument,
  RequiredDocumentSchema,
} from './schema.js';
export { SEED_PROCEDURES } from './seed.js';

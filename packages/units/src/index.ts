// @motcua/units: the public surface. Re-exports only.

export { type AddressCandidate, type ConvertedAddress, convertAddress, formatAddress } from './address.js';
export { UnitNotFoundError, type UnitSuggestion } from './errors.js';
export { fold as foldName } from './fold.js';
export {
  type LineageKind,
  type Predecessor,
  predecessorsOf,
  type Successor,
  successorsOf,
} from './lineage.js';
export { type SearchOptions, searchUnits, type UnitMatch } from './search.js';
export {
  communesOf,
  getUnit,
  provinces,
  REFORM_DATE,
  requireUnit,
  type Unit,
  type UnitType,
} from './units.js';
export {
  type AddressRecord,
  type MigrationReport,
  migrateAddresses,
  resolveVillage,
  type Village,
  type VillageRegistry,
  VillageRegistrySchema,
  type VillageResolution,
  VillageSchema,
} from './villages.js';

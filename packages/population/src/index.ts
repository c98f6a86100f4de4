// @motcua/population: the public surface. Re-exports only.
export {
  createPopulationClient,
  httpPopulationTransport,
  type PopulationClient,
  type PopulationTransport,
} from './client.js';
export {
  type CallContext,
  CallContextSchema,
  type Citizen,
  CitizenSchema,
  type Household,
  HouseholdSchema,
  type Residence,
  type ResidenceRegistration,
  type ResidenceRegistrationResult,
  ResidenceRegistrationResultSchema,
  ResidenceRegistrationSchema,
  ResidenceSchema,
  type VerifyRequest,
  VerifyRequestSchema,
  type VerifyResponse,
  VerifyResponseSchema,
} from './schemas.js';

// @motcua/civil-status: the public surface. Re-exports only.
export {
  type CivilStatusClient,
  type CivilStatusTransport,
  createCivilStatusClient,
  createHealthInsuranceClient,
  type HealthInsuranceClient,
  httpCivilStatusTransport,
  type SubmitOptions,
} from './client.js';
export { CivilStatusError, toCivilStatusError } from './errors.js';
export {
  createNewbornWorkflow,
  MemoryWorkflowStore,
  NEWBORN_STEPS,
  type NewbornInput,
  type NewbornState,
  type NewbornStep,
  type NewbornWorkflowOptions,
  type WorkflowStore,
} from './newborn.js';
export * from './schemas.js';

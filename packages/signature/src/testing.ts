// @motcua/signature/testing: the simulators (CSC API v2, an asynchronous provider) and their synthetic PKI.

export {
  type AsyncSigningSimulator,
  type AsyncSigningSimulatorOptions,
  type AsyncSimulatorCredential,
  DEFAULT_ASYNC_CREDENTIALS,
  type SimulatedTransaction,
  startAsyncSigningSimulator,
} from './testing/async-simulator.js';
export {
  type CscSimulator,
  type CscSimulatorCredential,
  type CscSimulatorOptions,
  DEFAULT_CSC_CREDENTIALS,
  type SimulatedCredential,
  startCscSimulator,
} from './testing/csc-simulator.js';
export type { IssuedCertificate } from './testing/pki.js';
export {
  type IssueOfficerOptions,
  type PkiStats,
  type SimulatedPki,
  type SimulatedPkiOptions,
  startSimulatedPki,
} from './testing/pki-services.js';

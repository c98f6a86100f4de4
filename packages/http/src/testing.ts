// @motcua/http/testing: the conformance suite every OutboxStore must pass, and the simulator kit.
export { outboxStoreSuite, type SuiteApi } from './testing/outbox-suite.js';
export {
  problem,
  type Simulator,
  type SimulatorAuth,
  type SimulatorFaults,
  type SimulatorHandler,
  type SimulatorOptions,
  type SimulatorRequest,
  type SimulatorResponse,
  type SimulatorRoute,
  type SimulatorStats,
  seededRandom,
  startSimulator,
} from './testing/simulator.js';

// @motcua/population/testing: the simulator.
export {
  type AuditEntry,
  type Faults,
  type PopulationSimulator,
  type PopulationSimulatorOptions,
  SAMPLE_CITIZENS,
  SAMPLE_HOUSEHOLDS,
  startPopulationSimulator,
} from './testing/simulator.js';

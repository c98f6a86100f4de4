// @motcua/portal/testing: the Portal simulator.
export {
  type PortalScore,
  type PortalSimulator,
  type PortalSimulatorOptions,
  sampleOnlineDossier,
  startPortalSimulator,
} from './testing/simulator.js';

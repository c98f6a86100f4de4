// @motcua/civil-status/testing: the civil-status and social-insurance simulators.
export {
  ageOn,
  type CivilStatusSimulator,
  type CivilStatusSimulatorOptions,
  type RecordedPerson,
  type SocialInsuranceSimulatorOptions,
  startCivilStatusSimulator,
  startSocialInsuranceSimulator,
} from './testing/simulator.js';

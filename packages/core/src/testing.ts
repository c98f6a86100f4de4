// @motcua/core/testing: synthetic people and households for simulators, fixtures and benchmarks.
export {
  type SyntheticHousehold,
  type SyntheticPeopleOptions,
  type SyntheticPerson,
  seededRandom,
  syntheticHouseholds,
  syntheticPeople,
} from './testing/people.js';

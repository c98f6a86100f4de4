// @motcua/http/testing: the conformance suite every OutboxStore must pass.
export { outboxStoreSuite, type SuiteApi } from './testing/outbox-suite.js';

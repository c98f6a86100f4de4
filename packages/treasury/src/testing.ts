// @motcua/treasury/testing: the simulators of the payment platform and the State Treasury.
export {
  type CallbackDelivery,
  type CallbackFaults,
  type PaymentSimulator,
  type PaymentSimulatorOptions,
  startPaymentSimulator,
} from './testing/payment-simulator.js';
export {
  startTreasurySimulator,
  type TreasurySimulator,
  type TreasurySimulatorOptions,
} from './testing/treasury-simulator.js';

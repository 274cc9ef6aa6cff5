// Public API of @velora/sippy/simulator: a SippySoft XML-RPC switch for tests, `npm run sim`,
// the API's dev mode and benchmarks.
export { SIPPY_XMLAPI_PATH, SippySimulator } from './sippy-simulator';
export type { SimulatorRequestLogEntry, SippySimulatorOptions } from './sippy-simulator';
export { DEFAULT_MALFORMED_BODY, FaultController, PERMISSION_FAULT, TRANSIENT_FAULT } from './faults';
export type { FaultKind, FaultScope, FaultSpec, FaultTimes, InjectedFault } from './faults';
export { CdrGenerator, billedSeconds, generateVisibleCalls } from './cdr-generator';
export type { CdrGeneratorOptions, SimCall } from './cdr-generator';
export { ACCOUNTS, CUSTOMERS, DESTINATIONS, ROOT_CUSTOMER_ID, findDestination } from './cdr-catalog';
export type { Destination, SimAccount, SimCustomer } from './cdr-catalog';
export { CDR_TYPES, likeToRegExp, matchesCdrType } from './cdr-query';
export type { CdrOrder, CdrType } from './cdr-query';
export { DEFAULT_CDR_WIRE_FORMAT, accountCdrWire, customerCdrWire } from './cdr-records';
export type { CdrWireFormat } from './cdr-records';
export { SIM_FAULT, SippyFault } from './sippy-methods';
export { formatSimTime, parseSimTime } from './sim-time';
export { unwrapWire } from './xml-rpc-wire';
export { mulberry32 } from './random';
export { DigestVerifier } from './digest-verifier';
export type { DigestAlgorithm, DigestFailureReason, DigestVerdict, DigestVerifierOptions } from './digest-verifier';
export { getSelfSignedCertificate } from './tls';
export type { SelfSignedCertificate } from './tls';

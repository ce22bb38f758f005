export { collect, eventStoreContract, newTestEvent, type Collector } from './event-store.contract.js';
export { tamperEvidenceSuite, type TamperableStore } from './tamper-evidence.suite.js';
export { startKurrentDbTestServer } from '../kurrentdb/testing/kurrentdb-test-server.js';
export type {
  KurrentDbTestServer,
  KurrentDbTestServerOptions,
  SystemEventOptions,
} from '../kurrentdb/testing/kurrentdb-test-server.js';

export { eventStoreContract, newTestEvent } from './event-store.contract.js';

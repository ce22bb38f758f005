export { storedSchemaVersion, UpcasterRegistry, type Upcaster } from './upcaster.registry.js';
export { UpcastingEventStore } from './upcasting.event-store.js';
export { briefingUpcasters, statementRecordedV0toV1, type StatementRecordedV0 } from './briefing.upcasters.js';

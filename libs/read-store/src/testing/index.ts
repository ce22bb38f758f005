export { readStoreContract, project, type ReadStoreUnderTest } from './read-store.contract.js';
export { BriefingLog } from './briefing-log.js';
export * from './archive-scenario.js';

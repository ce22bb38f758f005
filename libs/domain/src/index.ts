export * from './domain-error.js';
export * from './slug.js';
export * from './briefing/briefing.events.js';
export * from './briefing/briefing.commands.js';
export * from './briefing/briefing.state.js';
export * from './briefing/briefing.rules.js';
export * from './briefing/briefing.decide.js';
export * from './briefing/briefing.stream.js';

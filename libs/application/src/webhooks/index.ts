export * from './webhook-subscription.js';
export * from './webhook-subscription.store.js';
export * from './webhook-subscriptions.service.js';
export * from './webhook.dispatcher.js';
export * from './webhook.signature.js';

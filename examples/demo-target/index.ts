/**
 * The demo system under test (a customer web app with a JSON API over the loaded SQLite database) and
 * the helpers around it.
 */
export { startDemoTarget, toApiCustomer, type DemoTarget, type DemoTargetOptions } from './server.js';
export { createCustomerStore, readFlag, StoreUnavailable, type CustomerStore, type CustomerRow } from './customer-store.js';
export { segmentBadge } from './pages.js';
export { loadCustomersCsv, type LoadCustomersOptions } from './load-customers.js';

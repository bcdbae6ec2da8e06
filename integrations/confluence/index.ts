/** Confluence: data-dictionary lookups for the sensitivity classifier, and the run page of the report stage. */
export { createConfluenceClassifier } from './confluence-classifier.js';
export type { ConfluenceClassifier, ConfluenceClassifierOptions } from './confluence-classifier.js';
export { confluenceCacheKey, createJsonFileAnswerCache, createMemoryAnswerCache } from './answer-cache.js';
export type { CachedAnswer, ConfluenceAnswerCache, JsonFileAnswerCacheOptions } from './answer-cache.js';
export { judgeDictionaryText } from './classification-text.js';
export type { DictionaryVerdict } from './classification-text.js';
export { buildDictionarySearchCql, quoteCql } from './cql.js';
export { matchTable, parseDataDictionary } from './data-dictionary.js';
export type { DictionaryEntry, TableMatch } from './data-dictionary.js';
export { ConfluenceRequestError } from './errors.js';
export {
  ConfluencePublisherEnv,
  ConfluenceRateLimitedError,
  createConfluencePagePublisher,
  readConfluencePublisherSettings,
} from './page-publisher.js';
export type {
  ConfluenceAuth,
  ConfluencePagePublisherOptions,
  ConfluencePublisherSettings,
} from './page-publisher.js';
export type { ConfluencePagePort, PublishPageInput, PublishPageResult } from './port.js';

/** Choice lists from CSV and Excel files, and reading schema configs together with the choice files they name. */
export { readChoiceFile, CHOICE_FILE_EXTENSIONS, type ReadChoiceFileOptions } from './read-choice-file.js';
export {
  readSchemaConfig,
  type ReadSchemaConfigOptions,
  type SchemaConfigReading,
  type LocatedProblem,
} from './read-schema-config.js';

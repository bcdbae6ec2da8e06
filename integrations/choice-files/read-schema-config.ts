/**
 * Reads a schema config file for validation or generation: parses it, reads the choice files it
 * names (relative to the config file), validates everything and returns the plan or every problem,
 * each with its path in the config and, where known, its line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../../core/errors.js';
import {
  listChoiceFiles,
  parseSchemaConfigText,
  validateSchemaConfig,
  type LoadedChoiceFile,
  type SchemaPlan,
  type SchemaProblem,
} from '../../core/schema-gen/index.js';
import { readChoiceFile } from './read-choice-file.js';

/** A problem with the config line it points at, where known. */
export interface LocatedProblem extends SchemaProblem {
  line?: number;
}

/** Result of {@link readSchemaConfig}: a plan when there are no problems. */
export interface SchemaConfigReading {
  plan: SchemaPlan | null;
  problems: LocatedProblem[];
  /** Choice files read, as written in the config. */
  choiceFiles: string[];
}

/** Options of {@link readSchemaConfig}. */
export interface ReadSchemaConfigOptions {
  /**
   * Multiplies every table's row count.
   * @default 1
   */
  rowsScale?: number;
}

/** Reads and validates the config at `configPath` (YAML or JSON) with its choice files. */
export async function readSchemaConfig(
  configPath: string,
  options: ReadSchemaConfigOptions = {},
): Promise<SchemaConfigReading> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT' ? 'config file not found' : `config file cannot be read (${code ?? 'error'})`,
      { file: configPath },
      { cause: error },
    );
  }
  const parsed = parseSchemaConfigText(text);
  if (!parsed.ok) return { plan: null, problems: parsed.problems, choiceFiles: [] };
  const baseDir = path.dirname(path.resolve(configPath));
  const refs = listChoiceFiles(parsed.value);
  const choiceFiles = new Map<string, LoadedChoiceFile>();
  await Promise.all(
    refs.map(async (ref) => {
      try {
        const list = await readChoiceFile(path.resolve(baseDir, ref.file), {
          column: ref.column,
          weightColumn: ref.weightColumn,
          sheet: ref.sheet,
          delimiter: ref.delimiter,
          displayName: ref.file,
        });
        choiceFiles.set(ref.key, list);
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        choiceFiles.set(ref.key, { error: error.message });
      }
    }),
  );
  const { plan, problems } = validateSchemaConfig(parsed.value, {
    rowsScale: options.rowsScale,
    choiceFiles,
  });
  return {
    plan,
    problems: problems.map((p) => {
      const line = parsed.lineOf(p.rawPath);
      return line === undefined ? p : { ...p, line };
    }),
    choiceFiles: refs.map((r) => r.file),
  };
}

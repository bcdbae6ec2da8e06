/** Problems found while turning scenarios into test cases, named by place, never by the tester's text. */

/** Something test generation could not use, e.g. a precondition naming an unknown column. */
export interface TestGenerationProblem {
  scenarioId: string;
  /** Where (like ScenarioProblem.path), counted as people count (1-based): `precondition 2`, `step 3`, `expected result 1`, `scenario`. */
  path: string;
  /** What is wrong, naming tables, columns and aliases (schema), never values or phrases. */
  message: string;
}

/** A location label for the `index`-th (0-based) precondition. */
export function preconditionLocation(index: number): string {
  return `precondition ${index + 1}`;
}

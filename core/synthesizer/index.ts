/** The table synthesizer facade used by the pipeline and the CLI: fit the copula, CART or the auto pick; sample either. */
export {
  fitTableSynthesizer,
  fitTableSynthesizerWithChoice,
  SynthesizerKind,
  type FittedTableSynthesizer,
  type TableSynthesizerOptions,
} from './fit-table.js';
export { assertTableModel, sampleTableChunk, type TableModel } from './table-model.js';
export {
  chooseSynthesizer,
  MIN_TRIAL_ROWS,
  TRIAL_ROWS,
  type ChooseOptions,
  type SynthesizerChoice,
} from './choose-synthesizer.js';
export {
  checkEdgeCasesKeepConditions,
  checkRowConditions,
  compileRowConditions,
  sampleConditionalTableChunk,
  CONDITIONAL_BLOCK_ROWS,
  MAX_CANDIDATES_PER_ROW,
  type CompiledRowConditions,
  type RowCondition,
} from './row-conditions.js';

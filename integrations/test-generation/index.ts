/** Test generation outside core: records chosen from the loaded database, Bedrock-written tests, validation of test files. */
export {
  BEDROCK_TEST_ENV,
  buildTestPrompt,
  createBedrockTestGenerator,
  extractCode,
  generateTestWithBedrock,
  readBedrockTestGeneratorFromEnv,
} from './bedrock-test-generator.js';
export type {
  BedrockTestGenerator,
  BedrockTestGeneratorOptions,
  GenerateTestRequest,
  GenerateTestResult,
  TestGenerationUsage,
} from './bedrock-test-generator.js';
export { chooseRecords, chooseRecordsWith, dialectOf, normaliseValue } from './record-lookup.js';
export type { ChooseRecordsOptions, ChooseRecordsWithOptions } from './record-lookup.js';
export {
  ALLOWED_ROBOT_LIBRARIES,
  ALLOWED_TS_MODULES,
  checkRobotStructure,
  createTestValidator,
  robotImportProblems,
  typeScriptPolicyProblems,
  typeScriptSyntaxErrors,
  validateTest,
} from './validate-test.js';
export type {
  TestValidation,
  TestValidator,
  TestValidatorOptions,
  ValidationMethod,
} from './validate-test.js';

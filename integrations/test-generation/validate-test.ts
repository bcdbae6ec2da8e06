/**
 * Checking a generated test file before it is kept: TypeScript files are parsed and type-checked
 * with the compiler API against the project's own @playwright/test, vitest, knex and Node types
 * (the test workspace links the project's node_modules); Robot Framework files are dry-run with
 * `python3 -m robot --dryrun` when Robot and its libraries are installed, else checked for structure.
 * Errors come back as text with line numbers, for people and for a Bedrock repair prompt.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { TestFramework } from '../../core/testing/types.js';

/** How a file was checked. */
export type ValidationMethod = 'typescript-types' | 'typescript-syntax' | 'robot-dryrun' | 'robot-structure';

/** The verdict on one generated file. */
export interface TestValidation {
  ok: boolean;
  /** One error per line (`line 12: ...`), empty when ok. */
  errors: string[];
  method: ValidationMethod;
}

/** Options of {@link createTestValidator}. */
export interface TestValidatorOptions {
  /** Directory whose node_modules the tests will use. @default this project's root */
  projectRoot?: string;
  /** Type-check TypeScript (not only parse it) when the imported modules resolve. @default true */
  typeCheck?: boolean;
  /** Python interpreter with Robot Framework. @default python3 */
  python?: string;
  /** Longest a Robot dry run may take. @default 60000 */
  robotTimeoutMs?: number;
  /** Most errors reported per file. @default 20 */
  maxErrors?: number;
}

/** Validates generated test files; keeps the compiler's library files between checks. */
export interface TestValidator {
  validate(content: string, framework: TestFramework, fileName?: string): Promise<TestValidation>;
  /** Whether Robot files are dry-run (true) or only structure-checked (false). */
  robotDryRunAvailable(): Promise<boolean>;
}

/** Modules a generated TypeScript test may import (Node built-ins are allowed too). */
export const ALLOWED_TS_MODULES = ['@playwright/test', 'vitest', 'knex'] as const;
/** Libraries a generated Robot suite may import. */
export const ALLOWED_ROBOT_LIBRARIES = [
  'SeleniumLibrary',
  'RequestsLibrary',
  'Collections',
  'BuiltIn',
  'String',
  'DateTime',
  'OperatingSystem',
] as const;

const DEFAULT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

let defaultValidator: TestValidator | undefined;

/** Validates one file with a shared default validator (see {@link createTestValidator}). */
export function validateTest(
  content: string,
  framework: TestFramework,
  fileName?: string,
): Promise<TestValidation> {
  defaultValidator ??= createTestValidator();
  return defaultValidator.validate(content, framework, fileName);
}

/** A validator; the first type check loads the libraries (seconds), later ones reuse them (tens of ms). */
export function createTestValidator(options: TestValidatorOptions = {}): TestValidator {
  const root = path.resolve(options.projectRoot ?? DEFAULT_ROOT);
  const maxErrors = options.maxErrors ?? 20;
  const python = options.python ?? 'python3';
  const checker = createTypeChecker(root);
  let robotAvailable: Promise<boolean> | undefined;
  const robotDryRunAvailable = (): Promise<boolean> => {
    robotAvailable ??= probeRobot(python);
    return robotAvailable;
  };

  return {
    robotDryRunAvailable,
    async validate(content, framework, fileName) {
      if (framework === 'robot') {
        const policy = robotImportProblems(content);
        if (await robotDryRunAvailable()) {
          const errors = [
            ...policy,
            ...(await robotDryRun(python, content, options.robotTimeoutMs ?? 60_000)),
          ];
          return verdict(errors, 'robot-dryrun', maxErrors);
        }
        return verdict([...policy, ...checkRobotStructure(content)], 'robot-structure', maxErrors);
      }
      const name = fileName ?? (framework === 'playwright' ? 'generated.spec.ts' : 'generated.test.ts');
      const syntax = typeScriptSyntaxErrors(content, name);
      if (syntax.length > 0) return verdict(syntax, 'typescript-syntax', maxErrors);
      const policy = typeScriptPolicyProblems(content, name, framework);
      if (policy.length > 0 || options.typeCheck === false)
        return verdict(policy, 'typescript-syntax', maxErrors);
      const types = checker.check(content, name);
      if (types === undefined) return verdict([], 'typescript-syntax', maxErrors);
      return verdict(types, 'typescript-types', maxErrors);
    },
  };
}

function verdict(errors: readonly string[], method: ValidationMethod, max: number): TestValidation {
  const shown = errors.slice(0, max);
  if (errors.length > max) shown.push(`(and ${errors.length - max} more errors)`);
  return { ok: errors.length === 0, errors: shown, method };
}

// ---------------------------------------------------------------- TypeScript

function describeDiagnostic(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (d.file === undefined || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `line ${line + 1}, column ${character + 1}: ${message} (TS${d.code})`;
}

/** Syntax errors of a TypeScript file, with line numbers. */
export function typeScriptSyntaxErrors(content: string, fileName = 'generated.ts'): string[] {
  const out = ts.transpileModule(content, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return (out.diagnostics ?? []).map(describeDiagnostic);
}

/** Imports outside the allowed modules, and a file that defines no test. */
export function typeScriptPolicyProblems(
  content: string,
  fileName: string,
  framework: TestFramework,
): string[] {
  const source = ts.createSourceFile(fileName, content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const problems: string[] = [];
  const imported = new Set<string>();
  const check = (specifier: string, node: ts.Node): void => {
    imported.add(specifier);
    if ((ALLOWED_TS_MODULES as readonly string[]).includes(specifier) || NODE_BUILTINS.has(specifier)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    problems.push(
      `line ${line + 1}: imports ${JSON.stringify(specifier)}, which the test workspace does not have (allowed: ${ALLOWED_TS_MODULES.join(', ')} and Node built-ins)`,
    );
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) check(node.moduleSpecifier.text, node);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) check(arg.text, node);
      else {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        problems.push(`line ${line + 1}: imports a module whose name is computed`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const runner = framework === 'playwright' ? '@playwright/test' : 'vitest';
  if (!imported.has(runner))
    problems.push(`line 1: a ${framework} test must import test and expect from ${runner}`);
  if (!/\b(?:test|it)(?:\.\w+)*\s*\(/.test(content)) problems.push('line 1: the file defines no test');
  return problems;
}

interface TypeChecker {
  /** Type errors of the file, or undefined when a module it imports cannot be resolved (checked for syntax only). */
  check(content: string, fileName: string): string[] | undefined;
}

const CHECK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  esModuleInterop: true,
  allowImportingTsExtensions: false,
};

function createTypeChecker(root: string): TypeChecker {
  const files = new Map<string, ts.SourceFile | undefined>();
  const host = ts.createCompilerHost(CHECK_OPTIONS, true);
  const readSource = host.getSourceFile.bind(host);
  let current: { file: string; source: ts.SourceFile } | undefined;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (current && fileName === current.file) return current.source;
    if (!files.has(fileName))
      files.set(fileName, readSource(fileName, languageVersion, onError, shouldCreate));
    return files.get(fileName);
  };
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => (current !== undefined && f === current.file) || fileExists(f);
  host.readFile = (f) => (current !== undefined && f === current.file ? current.source.text : readFile(f));
  host.getCurrentDirectory = () => root;
  let previous: ts.Program | undefined;
  let counter = 0;

  return {
    check(content, fileName) {
      // A fresh name per check: the program never mistakes one file's text for another's.
      const base = path.basename(fileName).replace(/\.(?:spec|test)?\.?ts$/, '');
      const file = path.join(root, '.understudy-validate', `${base}-${++counter}.ts`);
      current = {
        file,
        source: ts.createSourceFile(file, content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS),
      };
      try {
        for (const m of importedModules(current.source)) {
          if (NODE_BUILTINS.has(m)) continue;
          const resolved = ts.resolveModuleName(m, file, CHECK_OPTIONS, host).resolvedModule;
          if (resolved === undefined) return undefined;
        }
        const program = ts.createProgram({
          rootNames: [file],
          options: CHECK_OPTIONS,
          host,
          ...(previous ? { oldProgram: previous } : {}),
        });
        previous = program;
        const source = program.getSourceFile(file);
        const diagnostics = [
          ...program.getSyntacticDiagnostics(source),
          ...program.getSemanticDiagnostics(source),
        ];
        return diagnostics.map(describeDiagnostic);
      } finally {
        current = undefined;
      }
    },
  };
}

function importedModules(source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

// ---------------------------------------------------------------- Robot Framework

function run(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function probeRobot(python: string): Promise<boolean> {
  const result = await run(python, ['-c', 'import robot, SeleniumLibrary, RequestsLibrary'], 30_000);
  return result.code === 0;
}

// Parses the file for syntax errors, then dry-runs it with a listener that reports each failing
// keyword with its line (the innermost failure only: parents repeat the same message).
const DRY_RUN_SCRIPT = `
import io, json, sys
import robot
from robot.api import get_tokens, Token
path = sys.argv[1]
errors = []
seen = set()
def add(line, message):
    key = (line, message)
    if key in seen or any(m == message for (_, m) in seen):
        return
    seen.add(key)
    errors.append(("line %s: %s" % (line, message)) if line else message)
for token in get_tokens(path):
    if token.type in (Token.ERROR, Token.FATAL_ERROR):
        add(token.lineno, token.error)
class Listener:
    ROBOT_LISTENER_API_VERSION = 3
    def start_test(self, data, result):
        self.before = len(errors)
    def end_keyword(self, data, result):
        if result.failed and result.message:
            add(getattr(data, 'lineno', None), result.message)
    def end_test(self, data, result):
        # The test's message repeats its keywords' failures; it alone is new when none was recorded.
        if result.failed and result.message and len(errors) == getattr(self, 'before', 0):
            add(getattr(data, 'lineno', None), result.message)
    def message(self, message):
        if message.level in ('ERROR',):
            add(None, message.message.replace(path, 'the file').split('\\n')[0])
robot.run(path, dryrun=True, output=None, report=None, log=None, console='none',
          listener=Listener(), stdout=io.StringIO(), stderr=io.StringIO())
print(json.dumps(errors))
`;

async function robotDryRun(python: string, content: string, timeoutMs: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'understudy-robot-check-'));
  try {
    const file = path.join(dir, 'suite.robot');
    await writeFile(file, content, 'utf8');
    const result = await run(python, ['-c', DRY_RUN_SCRIPT, file], timeoutMs);
    const lastLine = result.stdout.trim().split('\n').pop() ?? '';
    try {
      const errors = JSON.parse(lastLine) as unknown;
      if (Array.isArray(errors)) return errors.map((e) => String(e).replaceAll(file, 'the file'));
    } catch {
      // Fall through: the dry run itself failed.
    }
    const detail = result.stderr.trim().split('\n').slice(-3).join(' ').replaceAll(file, 'the file');
    return [
      `the Robot Framework dry run did not complete${result.code === null ? ' (timed out)' : ''}: ${detail}`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SECTION = /^\*+\s*(settings?|variables?|test cases?|tasks?|keywords?|comments?)\s*\**\s*$/i;

/** Library imports outside {@link ALLOWED_ROBOT_LIBRARIES}, and Resource/Variables file imports (the workspace has none). */
export function robotImportProblems(content: string): string[] {
  const problems: string[] = [];
  let section = '';
  content.split(/\r?\n/).forEach((line, i) => {
    const header = /^\*+\s*([^*]+?)\s*\**\s*$/.exec(line);
    if (header?.[1]) {
      section = header[1].toLowerCase();
      return;
    }
    if (!section.startsWith('setting')) return;
    const m = /^(Library|Resource|Variables)(?: {2,}|\t)\s*(\S+(?: \S+)*)/i.exec(line);
    if (!m?.[1] || !m[2]) return;
    const kind = m[1].toLowerCase();
    if (kind !== 'library') {
      problems.push(`line ${i + 1}: imports a ${kind} file, which the test workspace does not have`);
    } else if (!(ALLOWED_ROBOT_LIBRARIES as readonly string[]).includes(m[2])) {
      problems.push(
        `line ${i + 1}: imports library ${JSON.stringify(m[2])}, which is not installed for the tests (allowed: ${ALLOWED_ROBOT_LIBRARIES.join(', ')})`,
      );
    }
  });
  return problems;
}

/**
 * A structural check for when Robot Framework is not installed: known section headers, a test
 * case, bodies indented by at least two spaces under a name, closed variables, balanced blocks.
 */
export function checkRobotStructure(content: string): string[] {
  const problems: string[] = [];
  const lines = content.split(/\r?\n/);
  let section: string | undefined;
  let tests = 0;
  let owner: { name: string; line: number; open: number } | undefined;
  const closeOwner = (): void => {
    if (owner && owner.open > 0) problems.push(`line ${owner.line}: a FOR/IF/WHILE/TRY block has no END`);
    owner = undefined;
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/\s+$/, '');
    if (line.length === 0 || /^\s*#/.test(line)) return;
    if (line.startsWith('*')) {
      const m = SECTION.exec(line);
      closeOwner();
      if (!m?.[1]) {
        problems.push(`line ${n}: unknown section header`);
        section = 'unknown';
      } else section = m[1].toLowerCase();
      return;
    }
    if (section === undefined) {
      problems.push(`line ${n}: text before the first section header`);
      return;
    }
    if (section.startsWith('comment')) return;
    for (const cell of line.trim().split(/ {2,}|\t/)) {
      if (unclosedVariable(cell)) problems.push(`line ${n}: a variable is not closed with }`);
    }
    if (section.startsWith('test') || section.startsWith('task') || section.startsWith('keyword')) {
      if (/^\S/.test(line)) {
        closeOwner();
        owner = { name: line.trim(), line: n, open: 0 };
        if (!section.startsWith('keyword')) tests++;
        // A name may be followed by a body on the same line, after two spaces.
        const rest = line
          .trim()
          .split(/ {2,}|\t/)
          .slice(1);
        if (rest.length > 0) countBlocks(rest[0]!, owner);
        return;
      }
      if (/^ \S/.test(line)) {
        problems.push(`line ${n}: indent the body with at least two spaces`);
        return;
      }
      if (!owner) {
        problems.push(
          `line ${n}: an indented line before any ${section.startsWith('keyword') ? 'keyword' : 'test'} name`,
        );
        return;
      }
      const first = line.trim().split(/ {2,}|\t/)[0] ?? '';
      if (first === 'END') {
        if (owner.open === 0) problems.push(`line ${n}: END without an open block`);
        else owner.open--;
      } else countBlocks(first, owner);
      return;
    }
    if (section.startsWith('setting') && /^\s/.test(line) && !/^\s*\.\.\./.test(line)) {
      problems.push(`line ${n}: settings start at the beginning of the line`);
    }
  });
  closeOwner();
  if (tests === 0)
    problems.push('line 1: the file has no test case (a *** Test Cases *** section with a named test)');
  return problems;
}

function countBlocks(firstCell: string, owner: { open: number }): void {
  if (/^(?:FOR|IF|WHILE|TRY)$/.test(firstCell)) owner.open++;
}

function unclosedVariable(cell: string): boolean {
  let depth = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if ('$@&%'.includes(c) && cell[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
  }
  return depth > 0;
}

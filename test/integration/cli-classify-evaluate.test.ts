/**
 * The offline CLI commands of the PII and evaluation work, run as a user runs them: `classify --json`
 * prints the documented shape, and `evaluate --html` writes a self-contained report with its JSON twin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('understudy classify and evaluate --html', () => {
  it(
    'classify --json prints {fields:[{name, sensitive, type, confidence, reasons}]}',
    { timeout: 240_000 },
    () => {
      const out = cli('classify', '--input', 'examples/customers.csv', '--json');
      expect(out.status, out.stderr).toBe(0);
      const doc = JSON.parse(out.stdout) as {
        fields: { name: string; sensitive: boolean; type: string; confidence: number; reasons: string[] }[];
      };
      const field = (name: string) => doc.fields.find((f) => f.name === name);
      expect(doc.fields).toHaveLength(21);
      expect(field('email')).toMatchObject({ sensitive: true, type: 'email' });
      expect(field('ssn')).toMatchObject({ sensitive: true, type: 'ssn' });
      expect(field('segment')?.sensitive).toBe(false);
      for (const f of doc.fields) {
        expect(f.confidence).toBeGreaterThanOrEqual(0);
        expect(f.confidence).toBeLessThanOrEqual(1);
        expect(f.reasons.length).toBeGreaterThan(0);
      }
    },
  );

  it(
    'evaluate --html writes the report and its JSON; sensitive columns are left out unless asked',
    { timeout: 240_000 },
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'understudy-eval-cli-'));
      const synthetic = path.join(dir, 'synthetic.parquet');
      const gen = cli(
        'generate',
        '--input',
        'examples/customers.csv',
        '--rows',
        '3000',
        '--output',
        synthetic,
        '--synthesizer',
        'copula',
      );
      expect(gen.status, gen.stderr).toBe(0);
      const html = path.join(dir, 'report.html');
      const out = cli(
        'evaluate',
        '--real',
        'examples/customers.csv',
        '--synthetic',
        synthetic,
        '--html',
        html,
      );
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/SDMetrics-compatible quality: \d+\.\d%/);
      expect(existsSync(html)).toBe(true);
      const page = readFileSync(html, 'utf8');
      expect(page).toContain('<svg');
      expect(page).not.toMatch(/(src|href)="https?:/);
      const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
      expect(JSON.stringify(json)).toContain('"age"');
      // Faked sensitive columns are not scored by default (with them, the demo's shapes score is about 78%).
      const shapes = Number(/column shapes (\d+\.\d)%/.exec(out.stdout)?.[1]);
      expect(shapes).toBeGreaterThan(90);
    },
  );
});

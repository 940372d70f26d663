import { expect } from 'chai';
import { makeStyle } from '../../../harness/report/console-style.js';
import {
  diagnosticLine,
  fileLine,
  fileStatus,
  githubLines,
  summaryLine,
  validateJson,
  type FileCheck,
} from '../../../harness/report/diagnostics-output.js';

const scenario = { name: 'demo', steps: 1, workloads: 2 };
const warning = { file: 'w.yaml', line: 4, col: 9, severity: 'warning', message: 'careful' } as const;
const error = { file: 'e.yaml', line: 2, col: 3, severity: 'error', message: 'wrong' } as const;
const clean: FileCheck = { file: 'c.yaml', scenario, diagnostics: [] };
const warned: FileCheck = { file: 'w.yaml', scenario, diagnostics: [warning] };
const broken: FileCheck = { file: 'e.yaml', diagnostics: [error] };
const plain = makeStyle(false);
const color = makeStyle(true);

describe('validate output', () => {
  describe('file status', () => {
    it('is valid without diagnostics, warning with warnings only, invalid with errors', () => {
      expect([clean, warned, broken].map((c) => fileStatus(c, false))).to.deep.equal(['valid', 'warning', 'invalid']);
    });
    it('is invalid with warnings under --strict', () => {
      expect(fileStatus(warned, true)).to.equal('invalid');
    });
    it('notes (input accepted but partly ignored, as pasted kubectl output) never fail, even under --strict', () => {
      const noted: FileCheck = {
        file: 'n.yaml',
        scenario,
        diagnostics: [
          { file: 'n.yaml', line: 5, col: 5, severity: 'note', message: 'ignoring fields the API server sets' },
        ],
      };
      expect([fileStatus(noted, false), fileStatus(noted, true)]).to.deep.equal(['valid', 'valid']);
      expect(diagnosticLine(noted.diagnostics[0]!, plain)).to.equal(
        'n.yaml:5:5: note: ignoring fields the API server sets',
      );
      expect(githubLines([noted], true, plain)[0]).to.equal(
        '::notice file=n.yaml,line=5,col=5::ignoring fields the API server sets',
      );
      expect(validateJson([noted], true).summary).to.include({ notes: 1, warnings: 0, invalid: 0 });
    });
  });

  describe('text', () => {
    it('prints file:line:col: severity: message, coloured only when asked', () => {
      expect(diagnosticLine(error, plain)).to.equal('e.yaml:2:3: error: wrong');
      expect(diagnosticLine(error, color)).to.equal('e.yaml:2:3: \x1b[31merror\x1b[39m: wrong');
      expect(diagnosticLine(warning, color)).to.equal('w.yaml:4:9: \x1b[33mwarning\x1b[39m: careful');
    });
    it('marks a file ✓ or ✗, and says when --strict fails it', () => {
      expect(fileLine(clean, false, plain)).to.equal('✓ c.yaml: demo, 1 step(s), 2 workloads');
      expect(fileLine(clean, false, color)).to.equal('\x1b[32m✓\x1b[39m c.yaml: demo, 1 step(s), 2 workloads');
      expect(fileLine(warned, false, plain)).to.equal('✓ w.yaml: demo, 1 step(s), 2 workloads, 1 warning(s)');
      expect(fileLine(warned, true, plain)).to.equal(
        '✗ w.yaml: demo, 1 step(s), 2 workloads, 1 warning(s) (--strict: warnings fail)',
      );
      expect(fileLine(broken, false, color)).to.equal('\x1b[31m✗\x1b[39m e.yaml: 1 error(s)');
    });
    it('sums up several files', () => {
      expect(summaryLine([clean, warned, broken], false)).to.equal('2 valid, 1 invalid');
      expect(summaryLine([clean, warned, broken], true)).to.equal('1 valid, 2 invalid');
    });
  });

  it('json: every file with its status and diagnostics, and a summary', () => {
    expect(validateJson([broken, warned], false)).to.deep.equal({
      files: [
        { file: 'e.yaml', status: 'invalid', diagnostics: [error] },
        { file: 'w.yaml', status: 'warning', scenario: 'demo', diagnostics: [warning] },
      ],
      summary: { files: 2, valid: 0, warning: 1, invalid: 1, errors: 1, warnings: 1, notes: 0, strict: false },
    });
  });

  it('github: one workflow command per diagnostic, then the per-file lines', () => {
    expect(githubLines([broken, warned], false, plain)).to.deep.equal([
      '::error file=e.yaml,line=2,col=3::wrong',
      '::warning file=w.yaml,line=4,col=9::careful',
      '✗ e.yaml: 1 error(s)',
      '✓ w.yaml: demo, 1 step(s), 2 workloads, 1 warning(s)',
      '1 valid, 1 invalid',
    ]);
  });
});

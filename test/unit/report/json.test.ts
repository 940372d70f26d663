import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { RUN_REPORT_SCHEMA_URL, renderJson } from '../../../harness/report/json.js';
import { sampleReport } from '../../support/sample-report.js';

const schema = JSON.parse(readFileSync(RUN_REPORT_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function errorsOf(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('JSON reporter and its schema', () => {
  it('writes the report as it is, indented', () => {
    const json = renderJson(sampleReport());
    expect(json).to.match(/^\{\n {2}"schemaVersion": 1,\n {2}"runId": "run-20261121-2306-7f3a",/);
    expect(JSON.parse(json)).to.deep.equal(sampleReport());
  });

  it('the schema is a documented draft-07 schema', () => {
    expect(schema['$schema']).to.equal('http://json-schema.org/draft-07/schema#');
    const cell = (schema['definitions'] as Record<string, { properties: Record<string, { description?: string }> }>)[
      'cell'
    ]!;
    expect(cell.properties['reproduce']!.description).to.match(/kubectl exec/);
  });

  it('the machine and cleanup failures validate, and a wrong shape for them does not', () => {
    const machine = { cpus: 2, loadAverage: { start: 1.5, end: 3.2 } };
    const ok = { ...sampleReport(), machine, cleanupFailures: ['kind-x: namespace a-1: forbidden'] };
    expect(errorsOf(JSON.parse(renderJson(ok)))).to.deep.equal([]);
    expect(errorsOf({ ...ok, machine: { cpus: 2, loadAverage: 3 } })).to.not.deep.equal([]);
  });

  it('the sample report, as written, validates against the schema', () => {
    expect(errorsOf(JSON.parse(renderJson(sampleReport())))).to.deep.equal([]);
  });

  it('a target whose canary did not run (enforcement undefined, so absent in JSON) validates', () => {
    const r = sampleReport();
    const report = {
      ...r,
      targets: [{ ...r.targets[0]!, enforcement: undefined, error: 'kind create cluster failed: exit 1' }],
    };
    expect(errorsOf(JSON.parse(renderJson(report)))).to.deep.equal([]);
  });

  it('rejects what is not a report: unknown verdicts, outcomes, missing fields, extra fields', () => {
    const r = JSON.parse(renderJson(sampleReport())) as {
      runs: Array<{ steps: Array<{ cells: Array<Record<string, unknown>> }> }>;
      extra?: boolean;
    };
    const cell = r.runs[0]!.steps[0]!.cells[0]!;
    cell['verdict'] = 'maybe';
    cell['observed'] = 'timeout';
    delete cell['reproduce'];
    r.extra = true;
    const errors = errorsOf(r);
    expect(errors).to.include('/runs/0/steps/0/cells/0/verdict must be equal to one of the allowed values');
    expect(errors).to.include('/runs/0/steps/0/cells/0/observed must be equal to one of the allowed values');
    expect(errors).to.include("/runs/0/steps/0/cells/0 must have required property 'reproduce'");
    expect(errors).to.include(' must NOT have additional properties');
  });
});

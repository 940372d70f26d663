import { expect } from 'chai';
import { ESLint } from 'eslint';

/** The layering rule of eslint.config.js, asked about planted imports as `npm test` would see them. */
const eslint = new ESLint();

async function layeringErrors(file: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nexport const planted = 1;\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering: each folder of harness/ imports only the folders below it', function () {
  this.timeout(60_000);

  const refused: Array<[string, string]> = [
    ['harness/model/planted.ts', "import { LiveGateway } from '../kube/live-gateway.js';"],
    ['harness/model/planted.ts', "import { predictStep } from '../engine/predict-step.js';"],
    ['harness/model/planted.ts', "import type { ProbeSpec } from '../probe/commands.js';"],
    ['harness/engine/planted.ts', "import { runAll } from '../run/runner.js';"],
    ['harness/report/planted.ts', "import { runCommand } from '../process/command.js';"],
    ['harness/cluster/planted.ts', "import { runAll } from '../run/runner.js';"],
    ['harness/cluster/planted.ts', "import { processIO } from '../commands/io.js';"],
    ['harness/run/planted.ts', "import { main } from '../cli.js';"],
    ['harness/target/planted.ts', "import { ensureKindCluster } from '../cluster/kind-cluster.js';"],
  ];
  for (const [file, line] of refused) {
    it(`refuses in ${file}: ${line}`, async () => {
      expect(await layeringErrors(file, line)).to.have.length(1);
    });
  }

  const allowed: Array<[string, string]> = [
    ['harness/engine/planted.ts', "import type { Scenario } from '../model/scenario.js';"],
    ['harness/cluster/planted.ts', "import { TargetError } from '../target/target-error.js';"],
    ['harness/run/planted.ts', "import { prepareKindTarget } from '../cluster/kind-target.js';"],
    ['harness/commands/planted.ts', "import { runAll } from '../run/runner.js';"],
    ['harness/scenario/files.ts', "import { readFileSync } from 'node:fs';"],
  ];
  for (const [file, line] of allowed) {
    it(`allows in ${file}: ${line}`, async () => {
      expect(await layeringErrors(file, line)).to.deep.equal([]);
    });
  }
});

describe('layering: the pure folders touch no file system, process or API', function () {
  this.timeout(60_000);

  for (const folder of ['model', 'engine', 'scenario', 'probe', 'report', 'util']) {
    for (const module of ['node:fs', 'node:child_process', 'execa', '@kubernetes/client-node']) {
      it(`harness/${folder} may not import ${module}`, async () => {
        const errors = await layeringErrors(`harness/${folder}/planted.ts`, `import * as m from '${module}';`);
        expect(errors).to.have.length(1);
        expect(errors[0]).to.contain('pure');
      });
    }
  }

  it('the shell folders may (kube wraps the client, process wraps execa)', async () => {
    expect(
      await layeringErrors('harness/kube/planted.ts', "import * as k from '@kubernetes/client-node';"),
    ).to.deep.equal([]);
    expect(await layeringErrors('harness/process/planted.ts', "import { execa } from 'execa';")).to.deep.equal([]);
  });
});

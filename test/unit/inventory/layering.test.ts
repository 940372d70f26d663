import { expect } from 'chai';
import { ESLint } from 'eslint';

/** harness/inventory is pure and sits between engine and target (eslint.config.js LAYERS). */
const eslint = new ESLint();

async function layeringErrors(file: string, importLine: string): Promise<number> {
  const [result] = await eslint.lintText(`${importLine}\nexport const planted = 1;\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layering: harness/inventory is pure, below target, run and commands', function () {
  this.timeout(60_000);
  const cases: Array<[string, string, number]> = [
    ['harness/inventory/planted.ts', "import { selectorMatches } from '../engine/selector.js';", 0],
    ['harness/inventory/planted.ts', "import type { KubeObject } from '../model/kube-object.js';", 0],
    ['harness/inventory/planted.ts', "import type { KubeGateway } from '../kube/gateway.js';", 1],
    ['harness/inventory/planted.ts', "import { TargetError } from '../target/target-error.js';", 1],
    ['harness/inventory/planted.ts', "import { readFileSync } from 'node:fs';", 1],
    ['harness/target/planted.ts', "import { workloadClasses } from '../inventory/classes.js';", 0],
    ['harness/run/planted.ts', "import { workloadClasses } from '../inventory/classes.js';", 0],
    ['harness/commands/planted.ts', "import { workloadClasses } from '../inventory/classes.js';", 0],
    ['harness/engine/planted.ts', "import { workloadClasses } from '../inventory/classes.js';", 1],
    ['harness/model/planted.ts', "import type { LivePod } from '../inventory/snapshot.js';", 1],
  ];
  for (const [file, line, errors] of cases)
    it(`${errors ? 'refuses' : 'allows'} in ${file}: ${line}`, async () => {
      expect(await layeringErrors(file, line)).to.equal(errors);
    });
});

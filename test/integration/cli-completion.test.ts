/**
 * `completion bash|zsh|fish`: generated from the commander program, so every command, subcommand
 * and flag is in each script; each script is syntax-checked by its shell when that shell is here.
 */
import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../harness/cli.js';
import { SHELLS } from '../../harness/commands/completion.js';

const cli = (...argv: string[]) => runCli(argv);

/** Every command below the program, as its words: ['validate'], ['cluster', 'up'], ... */
function commandPaths(command: Command, above: string[] = []): string[][] {
  return command.commands.flatMap((c) => [[...above, c.name()], ...commandPaths(c, [...above, c.name()])]);
}

function hasShell(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0']).status === 0;
}

describe('completion scripts', () => {
  const program = buildProgram({ out: () => undefined, err: () => undefined }, () => undefined);
  const paths = commandPaths(program);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'cli-completion-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const shell of SHELLS) {
    describe(shell, () => {
      let script: string;
      before(async () => {
        const r = await cli('completion', shell);
        expect(r.code).to.equal(0);
        script = r.out;
      });

      it('mentions every command and subcommand', () => {
        for (const words of paths) expect(script, words.join(' ')).to.include(words.at(-1)!);
        // The bash and zsh scripts step into subcommands by "<parent>:<word>"; fish the same, quoted.
        expect(script).to.include('cluster:up');
      });

      it('mentions every long flag of every command, and the choices of choice flags', () => {
        for (const words of paths) {
          let command: Command = program;
          for (const w of words) command = command.commands.find((c) => c.name() === w)!;
          for (const option of command.options) {
            const long = option.long!;
            expect(script, `${words.join(' ')} ${long}`).to.include(shell === 'fish' ? `-l ${long.slice(2)}` : long);
            for (const choice of option.argChoices ?? []) expect(script).to.include(choice);
          }
        }
        for (const listed of ['calico cilium ptp kindnet', 'json junit markdown html', 'TCP UDP SCTP'])
          expect(script).to.include(listed);
      });

      const installed = hasShell(shell);
      it(`is accepted by ${shell} -n${installed ? '' : ` (skipped: ${shell} is not installed here)`}`, function () {
        if (!installed) this.skip();
        const file = path.join(dir, `netpol-harness.${shell}`);
        writeFileSync(file, script);
        const checked = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
        expect(checked.status, checked.stderr).to.equal(0);
      });
    });
  }

  it('completes in bash: subcommands, flags and choices', function () {
    if (!hasShell('bash')) this.skip();
    const file = path.join(dir, 'complete.bash');
    const complete = (line: string) => {
      const words = line.split(' ');
      const probe = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _netpol_harness; echo "\${COMPREPLY[*]}"`;
      return spawnSync('bash', ['-c', probe], { encoding: 'utf8' }).stdout.trim();
    };
    return cli('completion', 'bash').then((r) => {
      writeFileSync(file, r.out);
      expect(complete('netpol-harness clu')).to.equal('cluster');
      expect(complete('netpol-harness cl')).to.equal('cluster cleanup');
      expect(complete('netpol-harness cluster ')).to.equal('up down list');
      expect(complete('netpol-harness cluster up --cni c')).to.equal('calico cilium');
      expect(complete('netpol-harness validate -o ')).to.equal('text json github');
      expect(complete('netpol-harness explain scenarios/ --d')).to.equal('--dns');
      expect(complete('netpol-harness init --pattern d')).to.equal('default-deny dns-egress');
    });
  });

  it('refuses an unknown shell with exit 3 and the choices', async () => {
    expect(await cli('completion', 'tcsh')).to.deep.equal({
      code: 3,
      out: '',
      err: "error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.",
    });
  });
});

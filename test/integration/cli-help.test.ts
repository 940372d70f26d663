/**
 * Every command's --help ends with real examples: the offline ones run here and answer as their
 * comment says; the ones that need a cluster are parsed by the real program with its actions stubbed.
 */
import { expect } from 'chai';
import { runCli } from '../support/cli.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../../harness/cli.js';
import { EXAMPLES } from '../../harness/commands/help-examples.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OFFLINE = ['validate', 'predict', 'explain', 'init', 'completion'];

const cli = (...argv: string[]) => runCli(argv);

function commandPaths(command: Command, above: string[] = []): string[][] {
  return command.commands.flatMap((c) => [[...above, c.name()], ...commandPaths(c, [...above, c.name()])]);
}

/** The example's words after `netpol-harness`, or undefined for shell lines (`source <(...)`, `>`). */
function argvOf(line: string): string[] | undefined {
  if (!line.startsWith('netpol-harness ') || /[<>|]/.test(line)) return undefined;
  return line.split(' ').slice(1);
}

const examples = Object.entries(EXAMPLES).flatMap(([command, list]) =>
  list.map(([why, line]) => ({ command, why, line, argv: argvOf(line) })),
);

describe('every --help has an Examples: block', () => {
  const program = buildProgram({ out: () => undefined, err: () => undefined }, () => undefined);
  for (const words of [[], ...commandPaths(program)]) {
    it(`netpol-harness ${[...words, '--help'].join(' ')}`, async () => {
      const r = await cli(...words, '--help');
      expect(r.code).to.equal(0);
      expect(r.out).to.include('\nExamples:\n  # ');
      for (const e of examples.filter((x) => x.command === words.join(' ')))
        expect(r.out).to.include(`  # ${e.why}\n  ${e.line}`);
    });
  }
});

describe('the examples work', () => {
  before(function () {
    // The examples name scenarios/ relative to a clone's root, where users type them.
    if (path.resolve(process.cwd()) !== path.resolve(REPO)) this.skip();
  });

  for (const e of examples.filter((x) => x.argv && OFFLINE.includes(x.argv[0]!) && !x.argv.includes('-o'))) {
    const expected = Number(/\(exit (\d):/.exec(e.why)?.[1] ?? 0);
    it(`${e.line} (exit ${expected})`, async () => {
      const r = await cli(...e.argv!);
      expect(r.code, r.err).to.equal(expected);
    });
  }

  for (const e of examples.filter((x) => x.argv && OFFLINE.includes(x.argv[0]!) && x.argv.includes('-o'))) {
    it(`${e.line} parses (its -o is a format, or a file it would write)`, async () => {
      if (e.argv![0] === 'init') return expectParses(e.argv!);
      const r = await cli(...e.argv!);
      expect(r.code, r.err).to.be.oneOf([0, 1]);
      if (e.argv!.includes('json')) expect(() => JSON.parse(r.out) as unknown, r.out.slice(0, 200)).not.to.throw();
    });
  }

  for (const e of examples.filter((x) => x.argv && !OFFLINE.includes(x.argv[0]!))) {
    it(`${e.line} parses (needs a cluster: not run)`, () => expectParses(e.argv!));
  }
});

/** Parse with the real options, choices and parsers; the actions do nothing. */
async function expectParses(argv: string[]): Promise<void> {
  const errors: string[] = [];
  const program = buildProgram({ out: () => undefined, err: (t) => errors.push(t) }, () => undefined);
  const stub = (c: Command): void => {
    c.action(() => undefined);
    c.commands.forEach(stub);
  };
  program.commands.forEach(stub);
  await program.parseAsync(argv, { from: 'user' }).catch((e: Error) => errors.push(e.message));
  expect(errors, argv.join(' ')).to.deep.equal([]);
}

/**
 * `completion bash|zsh|fish`: a completion script generated from the commander program itself, so
 * every command, subcommand, flag and choice the CLI has is completed, and nothing it lacks.
 */
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CommandIO } from './io.js';
import {
  bashScript,
  fishScript,
  zshScript,
  type CompletionCommand,
  type CompletionFlag,
} from './completion-scripts.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const HELP: CompletionFlag = { names: ['-h', '--help'], description: 'display help', takesValue: false, choices: [] };

/**
 * Every command of the program, parents first. Global flags (the program's own) are offered on each
 * command, since commander accepts them anywhere; `listChoices` names the items of list flags
 * (`--cni calico,cilium`) whose parser commander cannot describe.
 */
export function completionModel(
  program: Command,
  listChoices: Readonly<Record<string, readonly string[]>> = {},
): CompletionCommand[] {
  const flagsOf = (command: Command): CompletionFlag[] =>
    command.options
      .filter((o) => !o.hidden)
      .map((o) => ({
        names: [o.short, o.long].filter((n): n is string => n !== undefined),
        description: o.description,
        takesValue: o.required || o.optional,
        choices: o.argChoices ?? (o.long ? (listChoices[o.long] ?? []) : []),
      }));
  const global = flagsOf(program).filter((f) => !f.names.includes('-V'));
  const walk = (command: Command, path: string[]): CompletionCommand[] => {
    const children = command.commands.filter((c) => c.name() !== 'help');
    const own = path.length ? [...flagsOf(command), ...global] : flagsOf(program);
    return [
      {
        path,
        description: command.description(),
        subcommands: children.map((c) => c.name()),
        flags: [...own, HELP],
      },
      ...children.flatMap((c) => walk(c, [...path, c.name()])),
    ];
  };
  return walk(program, []);
}

export function completionScript(shell: Shell, program: Command, commands: readonly CompletionCommand[]): string {
  const name = program.name();
  switch (shell) {
    case 'bash':
      return bashScript(name, commands);
    case 'zsh':
      return zshScript(name, commands);
    case 'fish':
      return fishScript(name, commands);
  }
}

export function completionCommand(
  shell: Shell,
  program: Command,
  listChoices: Readonly<Record<string, readonly string[]>>,
  io: CommandIO,
): ExitCode {
  io.out(completionScript(shell, program, completionModel(program, listChoices)).trimEnd());
  return EXIT.ok;
}

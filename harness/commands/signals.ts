/** SIGINT and SIGTERM while a command works: abort (the work then removes what it created), once. */
import type { CommandIO } from './io.js';

export async function onSignalsAbort<T>(
  controller: AbortController,
  io: CommandIO,
  work: () => Promise<T>,
  what = 'this run',
): Promise<T> {
  const onSignal = (signal: string) => {
    if (controller.signal.aborted) return;
    io.err(`\n${signal}: stopping; removing what ${what} created ...`);
    controller.abort();
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  try {
    return await work();
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
  }
}

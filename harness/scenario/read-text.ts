/** How the scenario layer reads a file: injected, so everything but scenario/files.ts stays pure. */
export type ReadText = (file: string) => { text: string } | { error: string };

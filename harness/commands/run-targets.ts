import type { CommandIO } from './io.js';
import { prepareContextTarget } from '../cluster/context-target.js';
import type { TargetInfo } from '../model/run-report.js';
import type { PreparedTarget } from '../run/runner.js';
import type { RunSettings } from '../run/settings.js';
import { kindClusterName, prepareKindTarget } from '../cluster/kind-target.js';

export type TargetRequest =
  | { readonly kind: 'kind'; readonly cni: string; readonly keep: boolean }
  | { readonly kind: 'context'; readonly context: string; readonly kubeconfig?: string; readonly sctp: boolean };

/** Bring every requested target up concurrently; one that cannot be used is reported, not fatal. */
export async function prepareTargets(requests: readonly TargetRequest[], settings: RunSettings, io: CommandIO, signal: AbortSignal): Promise<Array<PreparedTarget | { info: TargetInfo }>> {
  return Promise.all(requests.map(async (request) => {
    const name = request.kind === 'kind' ? request.cni : request.context;
    try {
      return request.kind === 'kind' ? await prepareKindTarget({ ...request, images: [settings.image.image] }, io, signal) : await prepareContextTarget(request);
    } catch (e) {
      io.err(`target ${name}: ${(e as Error).message}`);
      const info: TargetInfo = { name, kind: request.kind, context: request.kind === 'context' ? request.context : `kind-${kindClusterName(request.cni)}`, enforcement: undefined, error: (e as Error).message, capabilities: { sctp: false }, ...(request.kind === 'kind' ? { cni: request.cni } : {}) };
      return { info };
    }
  }));
}

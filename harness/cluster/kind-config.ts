import { parse, stringify } from 'yaml';

/** Nodes a kind cluster gets when nobody says: one control plane and one worker (cross-node paths). */
export const DEFAULT_NODES = 2;
/** More nodes than this would not start on the machines this runs on (each node is a systemd container). */
export const MAX_NODES = 8;

/**
 * A CNI's kind config (clusters/kind-<cni>.yaml) with `nodes` replaced: one control plane, the
 * rest workers; with `maxPods`, every kubelet takes that many pods instead of 110 (a top-level
 * KubeletConfiguration patch after the base file's own: kubeadm puts it in the kubelet-config
 * ConfigMap the workers join with). Pure: the caller reads the base file and writes the result.
 */
export function kindConfigWithNodes(base: string, nodes: number, options: { maxPods?: number } = {}): string {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
    throw new RangeError(`nodes must be a whole number from 1 to ${MAX_NODES}, got ${nodes}`);
  const config = (parse(base) ?? {}) as Record<string, unknown>;
  const roles = [{ role: 'control-plane' }, ...Array.from({ length: nodes - 1 }, () => ({ role: 'worker' }))];
  const own = Array.isArray(config['kubeadmConfigPatches']) ? (config['kubeadmConfigPatches'] as unknown[]) : [];
  const added = options.maxPods ? [`kind: KubeletConfiguration\nmaxPods: ${options.maxPods}\n`] : [];
  const patches = own.length + added.length > 0 ? { kubeadmConfigPatches: [...own, ...added] } : {};
  return stringify({ ...config, nodes: roles, ...patches });
}

import { dumpYaml, loadYaml } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { KubeObject } from '../model/kube-object.js';

/**
 * client-node serialises request bodies by model: it writes the model's attributes under their wire
 * names. A plain wire-format object has the wire names already, and any whose model name differs is
 * silently dropped: NetworkPolicy `from` (model `_from`) vanished, turning "from frontend only" into
 * "from anyone", and CRDs lost `x-kubernetes-int-or-string`. Every object we send goes through here.
 */
export function toClientModel(object: KubeObject): KubeObject {
  return loadYaml<KubeObject>(JSON.stringify(object));
}

/** What client-node will put on the wire for a model object (for tests of the round trip). */
export function wireFormOf(model: KubeObject): unknown {
  return parse(dumpYaml(model));
}

// Calico's upstream calico-vxlan.yaml, taken from the pinned module zip at build
// time (never committed), with the few changes kind needs here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calicoSourceDir } from './steps/calico-build.js';
import { cache, type Versions } from './config.js';

export {
  calicoNodeEnv,
  calicoPodCidr,
  manifestImages,
  patchCalicoManifest,
} from '../../harness/cluster/calico-manifest.js';

export function upstreamCalicoManifest(v: Versions): string {
  return readFileSync(join(calicoSourceDir(v), 'manifests', 'calico-vxlan.yaml'), 'utf8');
}

/** Where the build leaves the patched manifest for the harness's offline Calico installer. */
export function kitCalicoManifestPath(v: Versions): string {
  return join(cache.root, 'manifests', `calico-vxlan-${v.calico.imageTag}.yaml`);
}

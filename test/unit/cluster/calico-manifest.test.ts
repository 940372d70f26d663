import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { downloadCalicoManifest, patchCalicoManifest, sha256 } from '../../../harness/cluster/calico-manifest.js';

// A stand-in with the shape of calico-vxlan.yaml's parts that the patch touches (not the upstream file).
const manifest = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: calico-node, namespace: kube-system}
spec:
  template:
    spec:
      initContainers:
        - {name: install-cni, image: quay.io/calico/cni:v3.31.0}
      containers:
        - name: calico-node
          image: quay.io/calico/node:v3.31.0
          env:
            - {name: CALICO_IPV4POOL_CIDR, value: 192.168.0.0/16}
            - {name: CALICO_NETWORKING_BACKEND, value: vxlan}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: calico-kube-controllers, namespace: kube-system}
spec:
  template:
    spec:
      containers:
        - {name: calico-kube-controllers, image: quay.io/calico/kube-controllers:v3.31.0}
`;

type Doc = {
  kind: string;
  spec: {
    template: {
      spec: {
        containers: Array<{ name: string; imagePullPolicy?: string; env?: Array<{ name: string; value: string }> }>;
        initContainers?: Array<{ imagePullPolicy?: string }>;
      };
    };
  };
};
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Doc);

describe('Calico manifest for kind', () => {
  it('calico-node gets the pod CIDR of our kind configs, eth0 for its address, and the kind-specific Felix switches', () => {
    const env = docs(patchCalicoManifest(manifest))[0]!.spec.template.spec.containers[0]!.env!;
    const value = (name: string) => env.filter((e) => e.name === name).map((e) => e.value);
    expect(value('CALICO_IPV4POOL_CIDR')).to.deep.equal(['10.244.0.0/16']);
    expect(value('IP_AUTODETECTION_METHOD')).to.deep.equal(['interface=^eth0$']);
    expect(value('FELIX_IGNORELOOSERPF')).to.deep.equal(['true']);
    expect(value('CALICO_NETWORKING_BACKEND')).to.deep.equal(['vxlan']);
  });

  it('never pulls an image that is already on the node', () => {
    const patched = docs(patchCalicoManifest(manifest));
    expect(patched[0]!.spec.template.spec.initContainers![0]!.imagePullPolicy).to.equal('IfNotPresent');
    expect(patched[1]!.spec.template.spec.containers[0]!.imagePullPolicy).to.equal('IfNotPresent');
  });

  it('online, installs the download only when its sha256 is the pinned one', async () => {
    const patched = await downloadCalicoManifest(
      'https://example.invalid/calico-vxlan.yaml',
      sha256(manifest),
      async () => manifest,
    );
    expect(patched).to.equal(patchCalicoManifest(manifest));
    const tampered = manifest.replace('vxlan', 'bird');
    let error: Error | undefined;
    await downloadCalicoManifest(
      'https://example.invalid/calico-vxlan.yaml',
      sha256(manifest),
      async () => tampered,
    ).catch((e: Error) => {
      error = e;
    });
    expect(error?.message).to.match(/has sha256 [0-9a-f]{64}, not the pinned [0-9a-f]{64}: refusing to install it/);
  });
});

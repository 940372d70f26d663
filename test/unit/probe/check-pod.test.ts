import { expect } from 'chai';
import {
  CHECK_CLASS_ANNOTATION,
  CHECK_CONTAINER,
  checkOwnerName,
  checkOwnerObject,
  checkPodName,
  checkProbePod,
} from '../../../harness/probe/check-pod.js';
import { RUN_LABEL } from '../../../harness/model/cluster-names.js';
import { OWNER_ANNOTATION } from '../../../harness/model/run-owner.js';
import { SERVER_BINARY } from '../../../harness/model/probe-image.js';
import type { KubeObject } from '../../../harness/model/kube-object.js';

const run = { runId: 'k3x9q2', owner: 'laptop:4242' };
const source = { key: 'shop/frontend', namespace: 'shop', name: 'frontend', labels: { app: 'frontend', tier: 'web' } };
const image = { image: 'netpol-harness/probe:v1.34.4-1', pullPolicy: 'IfNotPresent' } as const;
const pod = checkProbePod({
  source,
  name: checkPodName(run.runId, 0, source),
  run,
  owner: { name: checkOwnerName(run.runId), uid: '6f1c-uid' },
  image,
});
type Container = {
  name: string;
  image: string;
  command: string[];
  ports?: unknown[];
  readinessProbe?: Record<string, unknown>;
  resources: { limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
};
const spec = pod['spec'] as {
  activeDeadlineSeconds?: number;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  hostNetwork?: boolean;
  restartPolicy: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  initContainers?: unknown[];
};
const container = spec.containers[0]!;
const refs = pod.metadata['ownerReferences'] as Array<Record<string, unknown>>;

describe('check probe pod: it is selected as the real pods are', () => {
  it("carries the class's labels, so every policy selects it as it selects the class", () => {
    expect(pod.metadata.labels).to.include(source.labels);
  });
  it('carries the run label, so cleanup finds it by label', () => {
    expect(pod.metadata.labels?.[RUN_LABEL]).to.equal(run.runId);
  });
  it('carries the owner annotation (host:pid) and the class it stands in for', () => {
    expect(pod.metadata.annotations).to.deep.equal({
      [OWNER_ANNOTATION]: run.owner,
      [CHECK_CLASS_ANNOTATION]: 'shop/frontend',
    });
  });
  it("lives in the class's namespace, with a name that is a DNS label", () => {
    expect(pod.metadata.namespace).to.equal('shop');
    expect(pod.metadata.name).to.match(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
  it('names stay DNS labels for long class names and names a policy cannot have (backend~2)', () => {
    const long = checkPodName('k3x9q2', 12, { name: `${'a'.repeat(70)}~2` });
    expect(long)
      .to.have.length.at.most(63)
      .and.match(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(checkPodName('k3x9q2', 1, { name: 'backend~2' })).to.equal('np-check-k3x9q2-1-backend-2');
  });
});

describe('check probe pod: it never receives real traffic', () => {
  it('has a readiness probe that never succeeds (nothing listens on its port), so it is never a ready endpoint', () => {
    expect(container.readinessProbe).to.deep.include({ tcpSocket: { port: 1 } });
    expect(container.command).to.deep.equal([
      SERVER_BINARY,
      'serve',
      '--identity',
      'check:shop/frontend',
      '--tcp',
      '',
      '--udp',
      '',
    ]);
  });
  it('declares no container ports (named ports in policies and Services never resolve to it)', () => {
    expect(spec.containers.every((c) => !c.ports || c.ports.length === 0)).to.equal(true);
  });
  it('is not on the host network', () => {
    expect(spec.hostNetwork).to.not.equal(true);
  });
  it('gets no Service environment variables', () => {
    expect(spec.enableServiceLinks).to.equal(false);
  });
});

describe('check probe pod: no controller adopts it', () => {
  it("has exactly one controller ownerReference, to the run's ConfigMap in its namespace", () => {
    expect(refs).to.have.length(1);
    expect(refs[0]).to.deep.include({ apiVersion: 'v1', kind: 'ConfigMap', name: 'netpol-harness-check-k3x9q2' });
    expect(refs[0]!['uid']).to.equal('6f1c-uid');
    expect(refs[0]!['controller']).to.equal(true);
  });
  it("does not block its owner's deletion (no finalizer rights needed, no wait)", () => {
    expect(refs[0]!['blockOwnerDeletion']).to.equal(false);
  });
  it('its owner is a ConfigMap of the run: labelled, annotated, in the same namespace', () => {
    const owner: KubeObject = checkOwnerObject('shop', run);
    expect(owner).to.deep.include({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(owner.metadata).to.deep.include({ name: 'netpol-harness-check-k3x9q2', namespace: 'shop' });
    expect(owner.metadata.labels).to.deep.equal({ [RUN_LABEL]: run.runId });
    expect(owner.metadata.annotations).to.deep.equal({ [OWNER_ANNOTATION]: run.owner });
  });
});

describe('check probe pod: it cannot outlive the run or harm its node', () => {
  it('has an activeDeadlineSeconds', () => {
    expect(spec.activeDeadlineSeconds).to.be.a('number').and.be.greaterThan(0).and.at.most(3600);
  });
  it('is never restarted', () => {
    expect(spec.restartPolicy).to.equal('Never');
  });
  it('has cpu and memory limits', () => {
    expect(container.resources.limits).to.have.keys('cpu', 'memory');
  });
  it('runs as non-root, on the RuntimeDefault seccomp profile', () => {
    expect(spec.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 65534 });
    expect(spec.securityContext['seccompProfile']).to.deep.equal({ type: 'RuntimeDefault' });
    expect(container.securityContext['runAsNonRoot']).to.equal(true);
  });
  it('has a read-only root filesystem, no privilege escalation and no capabilities', () => {
    expect(container.securityContext).to.deep.include({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container.securityContext['capabilities']).to.deep.equal({ drop: ['ALL'] });
  });
  it('mounts no service-account token', () => {
    expect(spec.automountServiceAccountToken).to.equal(false);
  });
  it("runs the harness's probe image in the container probe shells open", () => {
    expect(container.image).to.equal(image.image);
    expect(container.name).to.equal(CHECK_CONTAINER);
    expect(spec.containers).to.have.length(1);
    expect(spec.initContainers).to.equal(undefined);
  });
});

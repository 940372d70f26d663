import type { SourcePosition } from './position.js';
import type { Labels } from './network-policy.js';
import type { Protocol } from './protocol.js';
import type { ProbePaths, ScenarioService, ViaPattern } from './service.js';
import type { ServedPort } from './world.js';

/** A validated scenario: the input to the engine and to live runs. Names are logical. */
export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** `metadata.tags`: the author's feature tags, added to those derived from the scenario (scenario/features.ts). */
  readonly tags?: readonly string[];
  /** Written by `snapshot`: the cluster it was captured from; a run prints it as warnings. */
  readonly environment?: ScenarioEnvironment;
  readonly podCIDR: string;
  /** `spec.probe`: the paths cells are probed on; absent: DEFAULT_PROBE_PATHS (model/service.ts). */
  readonly probe?: ProbePaths;
  readonly namespaces: readonly ScenarioNamespace[];
  readonly workloads: readonly ScenarioWorkload[];
  readonly externals: readonly ScenarioExternal[];
  readonly steps: readonly Step[];
}

/** `metadata.environment`: what a snapshot could not copy from the cluster it read. */
export interface ScenarioEnvironment {
  readonly context?: string;
  readonly capturedAt?: string;
  readonly kubernetesVersion?: string;
  readonly cni?: readonly string[];
  readonly settings?: readonly string[];
  readonly otherPolicies?: readonly string[];
  readonly notCarried?: readonly string[];
}

export interface ScenarioNamespace {
  readonly name: string;
  /** Declared labels, without the implicit kubernetes.io/metadata.name. */
  readonly labels: Labels;
}

export interface ScenarioWorkload {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ports: readonly ServedPort[];
  /** A Service in front of this one pod: probed by cluster IP (`via: service`) and DNS name (`via: dns`). */
  readonly service?: ScenarioService;
}

export interface ScenarioExternal {
  readonly name: string;
  readonly ip: string;
  readonly ports: readonly ServedPort[];
}

export interface PolicySource {
  /** The manifest as written: logical namespace names, placeholders not yet substituted. */
  readonly manifest: Record<string, unknown>;
  readonly origin: SourcePosition;
}

export interface LabelOverrides {
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** Keyed by `ns/workload`. */
  readonly workloads: ReadonlyMap<string, Labels>;
}

export interface Step {
  readonly name: string;
  readonly index: number;
  readonly policies: readonly PolicySource[];
  /** AdminNetworkPolicies and the BaselineAdminNetworkPolicy in force during the step (cluster-scoped). */
  readonly clusterPolicies: readonly PolicySource[];
  readonly labels: LabelOverrides;
  readonly expect: Expectations;
}

export type ExpectDefault = 'predicted' | 'allow' | 'deny';
export type ProtocolPattern = Protocol | '*';
/** A port number, a port name, or `*`. */
export type PortPattern = number | string;

export interface ExpectRule {
  readonly from: string;
  readonly to: string;
  readonly port: PortPattern;
  readonly protocol: ProtocolPattern;
  readonly via: ViaPattern;
  readonly allowed: boolean;
  readonly origin: SourcePosition;
}

/** `.` allowed, `X` blocked, `-` not asserted. */
export type MatrixMark = '.' | 'X' | '-';

export interface ExpectMatrix {
  readonly port: PortPattern;
  readonly protocol: ProtocolPattern;
  readonly via: ViaPattern;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  /** marks[row][column]. */
  readonly marks: readonly (readonly MatrixMark[])[];
  /** Where each mark was written, for messages: markOrigins[row][column]. */
  readonly markOrigins: readonly (readonly SourcePosition[])[];
  readonly origin: SourcePosition;
}

export interface DnsExpectation {
  readonly from: string;
  readonly name: string;
  readonly resolves: boolean;
  readonly origin: SourcePosition;
}

export type DeviationObservation = 'allowed' | 'blocked' | 'refused' | 'dropped';

export interface KnownDeviation {
  readonly cni: string;
  /**
   * The CNI versions it applies to (an npm-style range: `<1.19`, `>=3.30 <3.32`); absent: every version.
   * On a version outside it the cell is judged without it, so a deviation an upgrade fixed shows as
   * fixed (a pass) instead of staying accepted forever, and one that persists shows as a failure.
   */
  readonly versions?: string;
  readonly from: string;
  readonly to: string;
  readonly port: PortPattern;
  readonly protocol: ProtocolPattern;
  readonly via: ViaPattern;
  readonly observed: DeviationObservation;
  readonly reason: string;
  readonly origin: SourcePosition;
}

export interface Expectations {
  readonly default: ExpectDefault;
  readonly ignoreSelf: boolean;
  readonly rules: readonly ExpectRule[];
  readonly matrices: readonly ExpectMatrix[];
  readonly dns: readonly DnsExpectation[];
  readonly knownDeviations: readonly KnownDeviation[];
}

export const DEFAULT_POD_CIDR = '10.244.0.0/16';
export const DEFAULT_DNS_NAME = 'kubernetes.default.svc.cluster.local';

/** The plain shapes of a scenario document once it has passed the JSON Schema. */
import type { ScenarioEnvironment } from '../model/scenario.js';
import type { Labels, NetworkPolicy } from '../model/network-policy.js';
import type { Protocol } from '../model/protocol.js';
import type { Via, ViaPattern } from '../model/service.js';

export interface RawPort {
  port: number;
  protocol?: Protocol;
  name?: string;
}
export interface RawWorkload {
  name: string;
  namespace: string;
  labels?: Labels;
  /** Absent or empty: a client that serves nothing. */
  ports?: RawPort[];
  service?: RawService;
}
export interface RawService {
  name?: string;
  type?: 'ClusterIP' | 'NodePort';
  externalTrafficPolicy?: 'Cluster' | 'Local';
  ports: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: Protocol }>;
}
export interface RawProbe {
  via?: Via[];
  services?: 'declared' | 'all';
  fromNodes?: boolean;
}
export interface RawExternal {
  name: string;
  ip: string;
  ports: RawPort[];
}
export interface RawPolicyEntry {
  file?: string;
  manifest?: NetworkPolicy;
}
export interface RawRule {
  from: string;
  to: string;
  port?: number | string;
  protocol?: string;
  via?: ViaPattern;
  allowed: boolean;
}
export interface RawMatrix {
  port: number | string;
  protocol?: string;
  via?: ViaPattern;
  table: string;
}
export interface RawDns {
  from: string;
  name: string;
  resolves: boolean;
}
export interface RawDeviation {
  cni: string;
  versions?: string;
  from: string;
  to: string;
  port?: number | string;
  protocol?: string;
  via?: ViaPattern;
  observed: string;
  reason: string;
}
export interface RawExpect {
  default?: 'predicted' | 'allow' | 'deny';
  ignoreSelf?: boolean;
  rules?: RawRule[];
  matrix?: RawMatrix[];
  dns?: RawDns[];
  knownDeviations?: RawDeviation[];
}
export interface RawStep {
  name: string;
  policies?: RawPolicyEntry[];
  labels?: { namespaces?: Record<string, Labels>; workloads?: Record<string, Labels> };
  expect?: RawExpect;
}
export interface RawScenario {
  apiVersion: string;
  kind: string;
  metadata: { name: string; description?: string; tags?: string[]; environment?: ScenarioEnvironment };
  spec: {
    podCIDR?: string;
    namespaces: Record<string, { labels?: Labels } | null>;
    workloads: RawWorkload[];
    externals?: RawExternal[];
    probe?: RawProbe;
    policies?: RawPolicyEntry[];
    expect?: RawExpect;
    steps?: RawStep[];
  };
}

/** The plain shapes of a scenario document once it has passed the JSON Schema. */
import type { ScenarioEnvironment } from '../model/scenario.js';
import type { Labels, NetworkPolicy } from '../model/network-policy.js';
import type { Protocol } from '../model/protocol.js';

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
  allowed: boolean;
}
export interface RawMatrix {
  port: number | string;
  protocol?: string;
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
    policies?: RawPolicyEntry[];
    expect?: RawExpect;
    steps?: RawStep[];
  };
}

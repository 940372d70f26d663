/**
 * A snapshot as files: the scenario, then one policy file per namespace. The scenario opens with
 * how it was captured, how to replay it, and what it could not carry, as comments a reader sees
 * before anything else. Pure: the command writes the text.
 */
import { Document, stringify } from 'yaml';
import type { ScenarioService } from '../model/service.js';
import type { Repro } from './repro-scenario.js';

export interface ReproText {
  readonly scenario: string;
  /** Path relative to the scenario -> the file's text. */
  readonly policies: ReadonlyArray<{ readonly path: string; readonly text: string }>;
}

export interface ReproTextOptions {
  /** The command line that captured it, for the header. */
  readonly command: string;
  /** The scenario file's name, for the replay line. */
  readonly file: string;
}

export function reproText(repro: Repro, options: ReproTextOptions): ReproText {
  const document = new Document({
    apiVersion: 'netpol-harness/v1alpha1',
    kind: 'Scenario',
    metadata: {
      name: repro.name,
      description: repro.description,
      environment: { ...repro.environment, notCarried: [...repro.notes] },
    },
    spec: {
      namespaces: Object.fromEntries(
        repro.namespaces.map((n) => [n.name, Object.keys(n.labels).length ? { labels: n.labels } : {}]),
      ),
      workloads: repro.workloads.map((w) => ({
        name: w.name,
        namespace: w.namespace,
        ...(Object.keys(w.labels).length ? { labels: w.labels } : {}),
        ...(w.ports.length ? { ports: w.ports } : {}),
        ...(w.service ? { service: serviceYaml(w.service) } : {}),
      })),
      ...(repro.externals.length
        ? { externals: repro.externals.map((e) => ({ name: e.name, ip: e.ip, ports: e.ports })) }
        : {}),
      ...(repro.policyFiles.length ? { policies: repro.policyFiles.map((f) => ({ file: f.path })) } : {}),
      // Applications reach a Service by its DNS name: a replay probes that path too where it has one.
      ...(repro.workloads.some((w) => w.service) ? { probe: { via: ['pod', 'service', 'dns'] } } : {}),
      expect: {
        default: 'predicted',
        ...(repro.observed?.length
          ? {
              matrix: repro.observed.map((t) => ({
                via: t.via,
                port: t.port,
                protocol: t.protocol,
                table: `${t.table}\n`,
              })),
            }
          : {}),
      },
    },
  });
  document.commentBefore = header(repro, options);
  const externals = document.getIn(['spec', 'externals']) as { items?: Array<{ commentBefore?: string }> } | undefined;
  repro.externals.forEach((e, i) => {
    const node = externals?.items?.[i];
    if (node) node.commentBefore = e.standsFor.map((s) => ` ${s}`).join('\n');
  });
  return {
    scenario: document.toString({ lineWidth: 0 }),
    policies: repro.policyFiles.map((f) => ({
      path: f.path,
      text: f.manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n'),
    })),
  };
}

/** A Service as a person writes it: the defaults (ClusterIP, targetPort equal to port, TCP) left out. */
function serviceYaml(service: ScenarioService): Record<string, unknown> {
  return {
    name: service.name,
    ...(service.type !== 'ClusterIP' ? { type: service.type } : {}),
    ...(service.externalTrafficPolicy ? { externalTrafficPolicy: service.externalTrafficPolicy } : {}),
    ports: service.ports.map((p) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      port: p.port,
      ...(p.targetPort !== p.port ? { targetPort: p.targetPort } : {}),
      ...(p.protocol !== 'TCP' ? { protocol: p.protocol } : {}),
    })),
  };
}

function header(repro: Repro, options: ReproTextOptions): string {
  const lines = [
    ` Captured by: ${options.command}`,
    ` at ${repro.environment.capturedAt} from context ${repro.environment.context} ` +
      `(Kubernetes ${repro.environment.kubernetesVersion}, CNI ${repro.environment.cni.join(', ')}).`,
    ` Replay it on kind with each CNI: netpol-harness run ${options.file} --cni calico,cilium`,
    ` Expectations: ${
      repro.observed?.length
        ? 'what check observed on the cluster (--observed), else the prediction'
        : 'the prediction (default: predicted)'
    }.`,
  ];
  if (repro.notes.length)
    lines.push(
      '',
      ' Not carried, or changed (also in metadata.environment.notCarried):',
      ...repro.notes.map((n) => ` - ${n}`),
    );
  return lines.join('\n');
}

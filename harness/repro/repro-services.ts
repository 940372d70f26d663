/**
 * The live Services a snapshot carries into its scenario. A scenario's Service fronts one workload
 * (`workloads[].service`), so a live Service is carried when its selector matches exactly one
 * workload class of the carried namespaces, and that class has no Service carried yet: the replay
 * then probes it by cluster IP and by DNS name as production's clients reach it. The others are
 * said, one note each, with why. Each port keeps its number and targetPort (a name resolves per pod,
 * as kube-proxy does); a port whose target the class does not serve is dropped and said.
 * https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
 * Pure.
 */
import type { WorkloadClass } from '../inventory/classes.js';
import { classesSelectedBy } from '../inventory/service-routes.js';
import type { LiveService } from '../inventory/snapshot.js';
import { portNameProblem } from '../model/k8s-names.js';
import { resolveTargetPort, type ScenarioService, type ServicePortSpec } from '../model/service.js';

export interface CarriedService {
  /** The class it fronts (its key, `ns/name`). */
  readonly classKey: string;
  readonly service: ScenarioService;
}

export interface ReproServices {
  /** By the live Service's `ns/name`. */
  readonly carried: ReadonlyMap<string, CarriedService>;
  readonly notes: readonly string[];
}

export function reproServices(services: readonly LiveService[], classes: readonly WorkloadClass[]): ReproServices {
  const carried = new Map<string, CarriedService>();
  const fronted = new Map<string, string>();
  const notes: string[] = [];
  const sorted = [...services].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  for (const s of sorted) {
    const key = `${s.namespace}/${s.name}`;
    const skip = (why: string) => notes.push(`Service ${key} not carried: ${why}`);
    if (s.type === 'ExternalName') {
      skip('it is an ExternalName: it names a host outside the cluster, not pods');
      continue;
    }
    if (!s.selector) {
      skip('it has no selector (its endpoints are managed by hand)');
      continue;
    }
    if (!s.clusterIPs.length || s.clusterIPs.includes('None')) {
      skip("it is headless: its DNS name answers with the pods' own IPs, which the pod path probes");
      continue;
    }
    const behind = classesSelectedBy(s, classes);
    if (!behind.length) {
      skip('it selects no pod the scenario carries');
      continue;
    }
    if (behind.length > 1) {
      skip(
        `it selects ${behind.length} workload classes (${behind.map((c) => c.key).join(', ')}); a scenario's ` +
          'Service fronts one workload, and the pod path probes each',
      );
      continue;
    }
    const cls = behind[0]!;
    const first = fronted.get(cls.key);
    if (first) {
      skip(`${cls.key} already has the Service ${first} (a scenario workload has one)`);
      continue;
    }
    const ports = servicePorts(s, cls, (why) => notes.push(`Service ${key} ${why}`));
    if (!ports.length) {
      skip(`none of its ports reaches a port ${cls.key} declares`);
      continue;
    }
    const nodePort = s.type === 'NodePort' || s.type === 'LoadBalancer';
    if (s.type === 'LoadBalancer')
      notes.push(
        `Service ${key} is a LoadBalancer, carried as a NodePort: a replay on kind has no load balancer, and ` +
          'the NodePort the LoadBalancer allocates is the path its traffic takes into the nodes',
      );
    // "Local: only route to node-local endpoints, drop otherwise" (KEP-2086,
    // https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/).
    if (s.internalTrafficPolicy === 'Local')
      notes.push(
        `Service ${key} has internalTrafficPolicy: Local (a pod reaches it only where the same node runs an ` +
          "endpoint; elsewhere the connection is dropped, whatever the policies say); the replay's Service " +
          'routes to any node, so it cannot show that',
      );
    fronted.set(cls.key, key);
    carried.set(key, {
      classKey: cls.key,
      service: {
        name: s.name,
        type: nodePort ? 'NodePort' : 'ClusterIP',
        ports,
        ...(nodePort && s.externalTrafficPolicy ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
      },
    });
  }
  return { carried, notes };
}

/** The ports that reach the class, each as Kubernetes has it; the rest said through `note`. */
function servicePorts(s: LiveService, cls: WorkloadClass, note: (text: string) => void): ServicePortSpec[] {
  const reaching = s.ports.filter((p) => {
    if (resolveTargetPort(p, cls.ports)) return true;
    note(
      `port ${p.port}/${p.protocol} targets ${typeof p.targetPort === 'string' ? 'the port name ' : ''}` +
        `"${p.targetPort}", which ${cls.key} does not declare: a connection through it is refused wherever it ` +
        'lands; not carried',
    );
    return false;
  });
  return reaching.map((p) => {
    const name = p.name !== undefined && portNameProblem(p.name) ? `port-${p.port}` : p.name;
    if (name !== p.name)
      note(`port ${p.port} is named "${name}" (a scenario's port names are IANA service names, as "${p.name}" is not)`);
    return {
      ...(name !== undefined ? { name } : {}),
      port: p.port,
      targetPort: p.targetPort,
      protocol: p.protocol,
    };
  });
}

import { KubeError, type KubeGateway } from './gateway.js';

/**
 * The gateway a run works through: once `signal` aborts (Ctrl-C, SIGTERM), every create or update
 * is refused, so nothing new appears on the cluster after a stop, whatever was queued; deletes,
 * reads and execs still go through, so cleanup and the report can finish.
 */
export function stopWritesOnAbort(gw: KubeGateway, signal: AbortSignal | undefined): KubeGateway {
  if (!signal) return gw;
  return new Proxy(gw, {
    get(target, property, receiver) {
      if (property === 'apply')
        return async (object: Parameters<KubeGateway['apply']>[0]) => {
          if (signal.aborted)
            throw new KubeError(
              `not applying ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}` +
                `${object.metadata.name}: the run is stopping`,
            );
          return target.apply(object);
        };
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// Step: Cilium's chart from the module zip rendered with `helm template` (no
// network: a local chart without dependencies) into the cache, for the harness's
// Cilium installer. Every image it names must be one the kit builds.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { cache, type Versions } from '../config.js';
import {
  ciliumAgentImage,
  ciliumManifestProblems,
  ciliumOperatorImage,
  ciliumValues,
  helmTemplateArgs,
  kitCiliumManifestPath,
} from '../cilium-manifest.js';
import { binDir, moduleDir } from '../go-module.js';
import { describeFailure, run } from '../run.js';
import { ciliumAt, ciliumTitle, helmBuild } from './cilium-build.js';
import { releaseStepId } from './go-builds.js';
import { done, failed, stepLog, type Step } from './step.js';

const valuesFile = (v: Versions): string => join(cache.root, 'manifests', `cilium-${v.cilium.imageTag}-values.yaml`);

/** helm keeps its config and cache under the kit's cache, never in the user's home. */
const helmHome = (): Record<string, string> => ({
  HELM_CONFIG_HOME: join(cache.root, 'helm', 'config'),
  HELM_CACHE_HOME: join(cache.root, 'helm', 'cache'),
  HELM_DATA_HOME: join(cache.root, 'helm', 'data'),
});

/** `cilium-manifest` for the default version, `cilium-manifest-v1.17.8` for an extra one (its own chart). */
export function ciliumManifestStepFor(version?: string): Step {
  const id = releaseStepId('cilium-manifest', version);
  return {
    id,
    title: ciliumTitle(version, 'manifest (the chart from the module, rendered by helm for kind)'),
    async isDone(ctx) {
      const v = ciliumAt(ctx, version);
      return (
        existsSync(kitCiliumManifestPath(v)) &&
        existsSync(valuesFile(v)) &&
        readFileSync(valuesFile(v), 'utf8') === stringify(ciliumValues(v))
      );
    },
    async run(ctx) {
      const v = ciliumAt(ctx, version);
      const log = stepLog(id);
      const src = await moduleDir(v.cilium.module, v.cilium.version);
      if (typeof src !== 'string') return failed(src.error);
      const out = kitCiliumManifestPath(v);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(valuesFile(v), stringify(ciliumValues(v)));
      const helm = join(binDir(helmBuild(v).key), 'helm');
      const chart = join(src, 'install', 'kubernetes', 'cilium');
      ctx.progress(`helm template ${chart}`);
      const rendered = await run(helm, helmTemplateArgs(v, chart, valuesFile(v)), { env: helmHome() });
      if (!rendered.ok) {
        writeFileSync(log, `${rendered.command}\n${rendered.stderr}\n`);
        return failed(`helm template failed: ${describeFailure(rendered)}`);
      }
      const problems = ciliumManifestProblems(rendered.stdout, [ciliumAgentImage(v), ciliumOperatorImage(v)]);
      if (problems.length > 0) return failed(`the rendered manifest is not usable here: ${problems.join('; ')}`);
      writeFileSync(out, rendered.stdout);
      return done(out);
    },
  };
}

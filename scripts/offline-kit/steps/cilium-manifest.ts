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
import { helmBuild } from './cilium-build.js';
import { done, failed, stepLog, type Step } from './step.js';

const valuesFile = (v: Versions): string => join(cache.root, 'manifests', `cilium-${v.cilium.imageTag}-values.yaml`);

/** helm keeps its config and cache under the kit's cache, never in the user's home. */
const helmHome = (): Record<string, string> => ({
  HELM_CONFIG_HOME: join(cache.root, 'helm', 'config'),
  HELM_CACHE_HOME: join(cache.root, 'helm', 'cache'),
  HELM_DATA_HOME: join(cache.root, 'helm', 'data'),
});

export const ciliumManifestStep: Step = {
  id: 'cilium-manifest',
  title: 'Cilium manifest (the chart from the module, rendered by helm for kind)',
  async isDone(ctx) {
    const v = ctx.versions;
    return (
      existsSync(kitCiliumManifestPath(v)) &&
      existsSync(valuesFile(v)) &&
      readFileSync(valuesFile(v), 'utf8') === stringify(ciliumValues(v))
    );
  },
  async run(ctx) {
    const v = ctx.versions;
    const log = stepLog('cilium-manifest');
    const src = await moduleDir(v.cilium.module, v.cilium.version);
    if (typeof src !== 'string') return failed(src.error);
    const out = kitCiliumManifestPath(v);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(valuesFile(v), stringify(ciliumValues(v)));
    const helm = join(binDir(helmBuild(v).key), 'helm');
    ctx.progress(`helm template ${join(src, 'install', 'kubernetes', 'cilium')}`);
    const rendered = await run(helm, helmTemplateArgs(v, join(src, 'install', 'kubernetes', 'cilium'), valuesFile(v)), {
      env: helmHome(),
    });
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

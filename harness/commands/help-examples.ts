/**
 * The `Examples:` block of every command's --help: real command lines on the example scenarios.
 * Tests run each offline example through the CLI, so they cannot rot.
 */
const S05 = 'scenarios/05-frontend-to-backend-one-port.yaml';
const S03 = 'scenarios/03-dns-egress-after-deny-all.yaml';

/** Command path ('' for the program, 'cluster up') -> [comment, command line] pairs. */
export const EXAMPLES: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  '': [
    ['Start a scenario of your own, then check it', 'netpol-harness init --pattern default-deny -o my-scenario.yaml'],
    ['Check every example scenario offline', 'netpol-harness validate scenarios/'],
    ['Run them on a kind cluster with Calico', 'netpol-harness run scenarios/ --cni calico'],
  ],
  validate: [
    ['Check every scenario of a directory', 'netpol-harness validate scenarios/'],
    ['Fail on warnings too, as kubeconform --strict does', `netpol-harness validate --strict ${S05}`],
    ['Annotate a GitHub Actions job', 'netpol-harness validate scenarios/ -o github'],
    ['One JSON document for scripts', 'netpol-harness validate scenarios/ -o json'],
  ],
  predict: [
    ["The engine's matrices for one scenario", `netpol-harness predict ${S05}`],
    ['Every cell of two scenarios as JSON', `netpol-harness predict ${S05} ${S03} -o json`],
  ],
  explain: [
    [
      'Why shop/redis cannot reach the backend (exit 1: BLOCKED)',
      `netpol-harness explain ${S05} --from shop/redis --to shop/backend --port 8080`,
    ],
    [
      'A named port, as JSON (exit 0: ALLOWED)',
      `netpol-harness explain ${S05} --from shop/frontend --to shop/backend --port http -o json`,
    ],
    [
      'Why DNS resolves again in a step',
      `netpol-harness explain ${S03} --step restore-dns ` +
        '--from shop/frontend --dns kubernetes.default.svc.cluster.local',
    ],
    [
      'The same cell in several scenarios (exit 1: BLOCKED in both)',
      'netpol-harness explain scenarios/01-default-deny-ingress.yaml scenarios/02-default-deny-all.yaml ' +
        '--from shop/frontend --to shop/api --port 8080',
    ],
  ],
  run: [
    ['Every example scenario on a kind cluster with Calico', 'netpol-harness run scenarios/ --cni calico'],
    ['Two CNIs at once, and where they disagree', `netpol-harness run ${S05} --cni calico,cilium`],
    ['Your own cluster, in run-labelled namespaces only', 'netpol-harness run scenarios/ --context staging'],
    [
      'The run report as JSON on stdout, JUnit for CI',
      'netpol-harness run scenarios/ --cni calico -o json --format junit',
    ],
  ],
  cluster: [
    ['Keep a Calico cluster up between runs', 'netpol-harness cluster up --cni calico'],
    ['See the clusters netpol-harness made', 'netpol-harness cluster list'],
    ['Delete it', 'netpol-harness cluster down --cni calico'],
  ],
  'cluster up': [
    ['A kind cluster with Calico (2 nodes)', 'netpol-harness cluster up --cni calico'],
    [
      'Cilium on 3 nodes (needs: npm run kit -- build --with cilium)',
      'netpol-harness cluster up --cni cilium --nodes 3',
    ],
    [
      'Another Cilium version, beside the default one (needs: npm run kit -- build --with cilium --cilium v1.18.2)',
      'netpol-harness cluster up --cni cilium@v1.18.2',
    ],
  ],
  'cluster down': [
    ["The CNI's default cluster", 'netpol-harness cluster down --cni calico'],
    ['A cluster by name', 'netpol-harness cluster down --name netpol-harness-cilium'],
  ],
  'cluster list': [
    ['Name, CNI, nodes and node image of each', 'netpol-harness cluster list'],
    ['The same as JSON, for scripts', 'netpol-harness cluster list -o json'],
  ],
  cleanup: [
    [
      'What dead runs left on this machine (kind clusters, externals), without removing it',
      'netpol-harness cleanup --dry-run',
    ],
    [
      "Remove one run's namespaces from a shared cluster, whoever ran it",
      'netpol-harness cleanup --context staging --run k3x9q2',
    ],
  ],
  check: [
    [
      'Probe two namespaces of production in place: every class pair against the prediction',
      'netpol-harness check --context production --namespace shop,payments',
    ],
    [
      'Staging vs production, cell by cell, with the environment rows that explain each difference',
      'netpol-harness check --context staging,production --namespace shop,payments --report parity.json',
    ],
    [
      'Every object and probe a check of two namespaces would use, creating nothing',
      'netpol-harness check --context staging --namespace shop,payments --dry-run',
    ],
    [
      'Every replica of each destination, all namespaces but the system ones',
      'netpol-harness check --context staging --all-namespaces --all-replicas --dry-run',
    ],
  ],
  snapshot: [
    [
      'Capture two production namespaces as a scenario (policies beside it, in policies/)',
      'netpol-harness snapshot --context production --namespace shop,payments -o repro/prod.yaml',
    ],
    [
      "Assert in the replay what production did, from a check's report (check ... --report prod.json)",
      'netpol-harness snapshot --context production -n shop,payments --observed prod.json -o repro/prod.yaml',
    ],
    ['Replay it on kind with each CNI', 'netpol-harness run repro/prod.yaml --cni calico,cilium'],
  ],
  matrix: [
    ["Tonight's matrix (clusters/matrix.yaml): every cell, then the page and the history", 'netpol-harness matrix'],
    [
      'One cell, as one job of a CI matrix',
      'netpol-harness matrix --cell cilium@v1.18.3/k8s@v1.34.4 --report-dir out --no-history',
    ],
    ['The cells as a JSON array, for a CI job matrix', 'netpol-harness matrix --list'],
  ],
  report: [
    [
      "Merge a fanned-out night's per-cell reports: one report, one page, one history append",
      'netpol-harness report merge out/cells/*/report.json --report-dir out/night --history history/',
    ],
  ],
  'report merge': [
    [
      "Merge a fanned-out night's per-cell reports: one report, one page, one history append",
      'netpol-harness report merge out/cells/*/report.json --report-dir out/night --history history/',
    ],
  ],
  history: [['What changed since last night (exit 1 on a regression)', 'netpol-harness history diff']],
  'history diff': [
    ['What changed since last night (exit 1 on a regression)', 'netpol-harness history diff'],
    ['Since a date, as Markdown for a CI step summary', 'netpol-harness history diff --since 2026-11-01 -o markdown'],
  ],
  init: [
    ['A default-deny starter on stdout', 'netpol-harness init'],
    ['Write a DNS-egress starter (never overwrites)', 'netpol-harness init --pattern dns-egress -o my-dns.yaml'],
  ],
  completion: [
    ['bash, for this shell', 'source <(netpol-harness completion bash)'],
    ['zsh, for every shell', 'netpol-harness completion zsh > "${fpath[1]}/_netpol-harness"'],
    ['fish', 'netpol-harness completion fish > ~/.config/fish/completions/netpol-harness.fish'],
  ],
};

export function examplesHelp(command: string): string {
  const examples = EXAMPLES[command] ?? [];
  return `\nExamples:\n${examples.map(([why, line]) => `  # ${why}\n  ${line}`).join('\n\n')}`;
}

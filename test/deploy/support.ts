/**
 * The Helm chart's tools for tests: helm and kubeconform (and kubeconform's offline schemas, made from the Kubernetes
 * API's OpenAPI document) built by scripts/helm-tools.sh into the tools cache. Tests skip, saying so, without them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { parseAllDocuments } from 'yaml';

export const CHART = resolve('deploy/helm/ferry');
export const PRODUCTION_VALUES = join(CHART, 'ci', 'production-values.yaml');
/** The Kubernetes version the schemas and the test cluster are (helm template defaults to an old one). */
export const KUBE_VERSION = '1.36.3';

const TOOLS = join(process.env['FERRY_TOOLS_DIR'] ?? join(homedir(), '.cache', 'ferry-tools'), 'helm-v3.21.4');
export const HELM = join(TOOLS, 'bin', 'helm');
export const KUBECONFORM = join(TOOLS, 'bin', 'kubeconform');
export const SCHEMAS = join(TOOLS, 'schemas');

const missing = [HELM, KUBECONFORM, join(SCHEMAS, '.k8s-version')].filter((p) => !existsSync(p));
export const HAVE_HELM_TOOLS = missing.length === 0;
export const NO_HELM_TOOLS_REASON = HAVE_HELM_TOOLS ? '' : `missing ${missing.join(', ')}; build them with 'scripts/helm-tools.sh build'`;

/** helm keeps its cache and config out of the user's home. */
const HELM_HOME = mkdtempSync(join(tmpdir(), 'ferry-helm-'));
// Registered on the importing test file's root suite (vitest's workers do not always run 'exit' handlers).
afterAll(() => rmSync(HELM_HOME, { recursive: true, force: true }));
const helmEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
  HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
  HELM_DATA_HOME: join(HELM_HOME, 'data'),
};

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): Ran {
  const r = spawnSync(HELM, args, { env: helmEnv, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` of the chart with these values (files and --set pairs), at the test cluster's Kubernetes version. */
export function template(opts: { files?: string[]; set?: Record<string, string> } = {}): Ran {
  const args = ['template', 'ferry', CHART, '--namespace', 'ml', '--kube-version', KUBE_VERSION];
  for (const f of opts.files ?? []) args.push('-f', f);
  for (const [k, v] of Object.entries(opts.set ?? {})) args.push('--set', `${k}=${v}`);
  return helm(args);
}

/** kubeconform -strict over these manifests, with the offline schemas only (no download is tried). */
export function kubeconform(manifests: string): Ran {
  const r = spawnSync(
    KUBECONFORM,
    ['-strict', '-summary', '-output', 'text', '-schema-location', `${SCHEMAS}/{{ .ResourceKind }}{{ .KindSuffix }}.json`, '-'],
    { input: manifests, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [k: string]: unknown;
}

export function manifestsOf(yamlText: string): Manifest[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

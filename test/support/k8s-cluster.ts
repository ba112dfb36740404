/**
 * A real Kubernetes control plane for a test file (etcd, kube-apiserver, controller-manager, scheduler, kwok with a
 * fake node), run by scripts/k8s-test-cluster.sh on free loopback ports and its own temp dir. Pods are simulated by
 * kwok: an image `ferry-test/fail:*` fails (exit code 3), `ferry-test/hold:*` keeps running, any other completes;
 * every pod's log is two fixed lines (KWOK_LOG). Skipped, with the reason, where the binaries were never built.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';

const SCRIPT = resolve('scripts/k8s-test-cluster.sh');
const BIN = join(process.env['FERRY_TOOLS_DIR'] ?? join(homedir(), '.cache', 'ferry-tools'), 'k8s-v1.36.3', 'bin');
const missing = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'].filter((b) => !existsSync(join(BIN, b)));

export const HAVE_K8S = missing.length === 0;
export const NO_K8S_REASON = HAVE_K8S
  ? ''
  : `no Kubernetes test binaries in ${BIN} (missing: ${missing.join(', ')}); build them with 'scripts/k8s-test-cluster.sh build'`;
/** What kwok serves as every pod's log. */
export const KWOK_LOG = 'ferry-kwok: hello from the fake container\nferry-kwok: a second line\n';

export interface K8sCluster {
  server: string;
  token: string;
  dir: string;
  batch: BatchV1Api;
  core: CoreV1Api;
  stop(): Promise<void>;
}

async function portFree(port: number): Promise<boolean> {
  const srv = createServer();
  return new Promise((res) => {
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** A base port with the six after it free (the script uses base+0..5). */
async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20_000 + Math.floor(Math.random() * 4000) * 10;
    let ok = true;
    for (let p = base; p < base + 6 && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error('no six free consecutive loopback ports');
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const child = spawn(SCRIPT, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => res({ code, out }));
  });
}

export async function startK8sCluster(): Promise<K8sCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-k8s-'));
  const env = { ...process.env, FERRY_K8S_PORT_BASE: String(await freeBase()) };
  // Stops the stack even when the test process exits without its afterAll (a crash, an interrupted run).
  const stopNow = () => spawnSync(SCRIPT, ['stop', dir], { env, stdio: 'ignore' });
  process.once('exit', stopNow);
  const stop = async () => {
    process.removeListener('exit', stopNow);
    await run(['stop', dir], env);
    rmSync(dir, { recursive: true, force: true });
  };
  const started = await run(['start', dir], env);
  if (started.code !== 0) {
    await stop();
    throw new Error(`scripts/k8s-test-cluster.sh start failed (${started.code}):\n${started.out}`);
  }
  const server = readFileSync(join(dir, 'server'), 'utf8').trim();
  const token = readFileSync(join(dir, 'token'), 'utf8').trim();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 't', server, skipTLSVerify: true }],
    users: [{ name: 't', token }],
    contexts: [{ name: 't', cluster: 't', user: 't' }],
    currentContext: 't',
  });
  return { server, token, dir, batch: kc.makeApiClient(BatchV1Api), core: kc.makeApiClient(CoreV1Api), stop };
}

/**
 * `helm install` of the chart into a real control plane (kube-apiserver with its admission and validation, the
 * Deployment, ReplicaSet and HorizontalPodAutoscaler controllers, the scheduler; test/support/k8s-cluster.ts) until
 * the Deployment is available. The node is kwok's: pods are scheduled and admitted for real but no container runs,
 * so their readiness is simulated (kwok marks a scheduled pod Running and Ready) — the probes themselves are not
 * exercised here. The releases go into a namespace that enforces the "restricted" Pod Security Standard, so the API
 * server refuses the chart's pods if their security context falls short. Skipped, loudly, without helm or the
 * cluster's binaries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppsV1Api, AutoscalingV2Api, CoreV1Api, KubeConfig, PolicyV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_K8S, type K8sCluster, NO_K8S_REASON, startK8sCluster } from '../support/k8s-cluster.js';
import { CHART, HAVE_HELM_TOOLS, helm, NO_HELM_TOOLS_REASON, PRODUCTION_VALUES } from './support.js';

const READY = HAVE_HELM_TOOLS && HAVE_K8S;
if (!READY) console.warn(`\n!! SKIPPING the Helm install tests: ${HAVE_HELM_TOOLS ? NO_K8S_REASON : NO_HELM_TOOLS_REASON}\n`);

const NS = 'ferry';

describe.skipIf(!READY)('helm install into a real kube-apiserver (kwok node)', () => {
  let k8s: K8sCluster;
  let kubeconfig: string;
  let apps: AppsV1Api;
  let core: CoreV1Api;
  const helmIn = (args: string[]) => helm([...args, '--kubeconfig', kubeconfig, '--namespace', NS]);

  beforeAll(async () => {
    k8s = await startK8sCluster();
    kubeconfig = join(k8s.dir, 'kubeconfig');
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({
      body: {
        metadata: {
          name: NS,
          labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' },
        },
      },
    });
    // The namespace's default service account comes from the controller manager; the pods wait for none (the chart
    // makes its own), but a Secret created in a namespace still being set up is fine either way.
    const secret = (name: string, data: Record<string, string>) =>
      core.createNamespacedSecret({ namespace: NS, body: { metadata: { name }, stringData: data } });
    await secret('ferry-admin', { token: 'a-test-admin-token' });
    await secret('ferry-secret-key', { key: 'a-test-secret-key-of-at-least-32-characters' });
    await secret('ferry-postgres', { url: 'postgres://ferry:pw@postgres.db.svc:5432/ferry' });
    await secret('ferry-s3', { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' });
  }, 180_000);
  afterAll(async () => k8s?.stop(), 60_000);

  /** What the cluster looked like when an install did not finish: the node, the pods, the events, the logs' tails. */
  const diagnose = async (): Promise<string> => {
    const out: string[] = [];
    const tryTo = async (what: string, f: () => Promise<string>) => {
      try {
        out.push(`${what}: ${await f()}`);
      } catch (e) {
        out.push(`${what}: (could not read: ${(e as Error).message})`);
      }
    };
    await tryTo('nodes', async () => {
      const nodes = await core.listNode();
      return JSON.stringify(
        nodes.items.map((n) => ({
          name: n.metadata?.name,
          taints: n.spec?.taints,
          conditions: n.status?.conditions?.map((c) => `${c.type}=${c.status} (${c.reason})`),
        })),
      );
    });
    await tryTo('pods', async () => {
      const pods = await core.listNamespacedPod({ namespace: NS });
      return JSON.stringify(
        pods.items.map((p) => ({
          name: p.metadata?.name,
          node: p.spec?.nodeName,
          phase: p.status?.phase,
          conditions: p.status?.conditions?.map((c) => `${c.type}=${c.status} ${c.reason ?? ''}`),
        })),
      );
    });
    await tryTo('events', async () => {
      const ev = await core.listNamespacedEvent({ namespace: NS });
      return ev.items.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.reason}: ${e.message}`).join('\n');
    });
    for (const log of ['kwok', 'kube-scheduler', 'kube-controller-manager']) {
      await tryTo(`${log}.log (tail)`, async () =>
        readFileSync(join(k8s.dir, 'logs', `${log}.log`), 'utf8')
          .split('\n')
          .slice(-15)
          .join('\n'),
      );
    }
    return out.join('\n');
  };
  /** helm in the namespace; a failed install or upgrade is reported with the cluster's state beside helm's words. */
  const helmOk = async (args: string[]) => {
    const r = helmIn(args);
    if (r.status !== 0 || r.stderr !== '') throw new Error(`helm ${args[0]} failed (${r.status}): ${r.stderr}\n${await diagnose()}`);
    return r;
  };

  const deploymentAvailable = async (name: string) => {
    const d = await apps.readNamespacedDeployment({ name, namespace: NS });
    const available = d.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True';
    return { available, replicas: d.status?.availableReplicas ?? 0 };
  };

  it('installs the production release (3 pods, PostgreSQL and S3 from Secrets) and its Deployment becomes available', async () => {
    const r = await helmOk(['install', 'prod', CHART, '-f', PRODUCTION_VALUES, '--wait', '--timeout', '180s']);
    expect(r.stdout).toContain('STATUS: deployed');
    // The autoscaler's controller raises the Deployment to minReplicas (3) before it looks at any metric; the
    // ferry_queue_rows metric itself needs an adapter this cluster does not run.
    await expect.poll(() => deploymentAvailable('prod-ferry'), { timeout: 120_000, interval: 500 }).toEqual({ available: true, replicas: 3 });
    const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app.kubernetes.io/instance=prod' });
    expect(pods.items).toHaveLength(3);
    for (const p of pods.items) {
      expect(p.spec?.securityContext?.runAsNonRoot).toBe(true);
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const hpa = await kc.makeApiClient(AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({ name: 'prod-ferry', namespace: NS });
    expect(hpa.spec?.metrics?.[0]?.pods?.metric.name).toBe('ferry_queue_rows');
    const pdb = await kc.makeApiClient(PolicyV1Api).readNamespacedPodDisruptionBudget({ name: 'prod-ferry', namespace: NS });
    expect(pdb.spec?.minAvailable).toBe(2);
  }, 300_000);

  it('installs one SQLite pod with a generated admin token that an upgrade keeps', async () => {
    // No volume provisioner in this cluster: /data on an emptyDir.
    expect((await helmOk(['install', 'solo', CHART, '--set', 'persistence.enabled=false', '--wait', '--timeout', '180s'])).stdout).toContain(
      'STATUS: deployed',
    );
    expect(await deploymentAvailable('solo-ferry')).toEqual({ available: true, replicas: 1 });
    const secretOf = async (key: string) => {
      const s = await core.readNamespacedSecret({ name: 'solo-ferry', namespace: NS });
      return Buffer.from(s.data?.[key] ?? '', 'base64').toString();
    };
    const token = () => secretOf('admin-token');
    const first = await token();
    expect(first).toMatch(/^[A-Za-z0-9]{40}$/);
    // The secret key too: executor credentials sealed under it must stay readable after an upgrade.
    const key = await secretOf('secret-key');
    expect(key).toMatch(/^[A-Za-z0-9]{64}$/);
    await helmOk(['upgrade', 'solo', CHART, '--reuse-values', '--set', 'logLevel=debug', '--wait', '--timeout', '180s']);
    expect(await token()).toBe(first);
    expect(await secretOf('secret-key')).toBe(key);
    const d = await apps.readNamespacedDeployment({ name: 'solo-ferry', namespace: NS });
    expect(d.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'FERRY_LOG_LEVEL')?.value).toBe('debug');
  }, 300_000);

  it('is refused by the API server where the pod security falls short (the restricted namespace is enforced)', async () => {
    const r = helmIn([
      'install',
      'rooted',
      CHART,
      '--set',
      'persistence.enabled=false',
      '--set',
      'podSecurityContext.runAsNonRoot=false',
      '--wait',
      '--timeout',
      '20s',
    ]);
    expect(r.status).not.toBe(0);
    const d = await apps.readNamespacedDeployment({ name: 'rooted-ferry', namespace: NS });
    const rs = await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: 'app.kubernetes.io/instance=rooted' });
    expect(d.status?.availableReplicas ?? 0).toBe(0);
    const failure = rs.items[0]?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    expect(failure?.message).toContain('violates PodSecurity "restricted:latest"');
  }, 120_000);
});

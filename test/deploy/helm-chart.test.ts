/**
 * The Helm chart, offline: `helm lint --strict`, `helm template` with the default values and with a production-shaped
 * release (3 pods, PostgreSQL, S3, ingress, autoscaler, disruption budget) validated by kubeconform -strict against
 * schemas made from Kubernetes' own OpenAPI document, and the chart's refusals. The negative cases prove the
 * validation can fail. Skipped, loudly, until scripts/helm-tools.sh build has run.
 */
import { describe, expect, it } from 'vitest';
import {
  CHART,
  HAVE_HELM_TOOLS,
  helm,
  KUBE_VERSION,
  kubeconform,
  type Manifest,
  manifestsOf,
  NO_HELM_TOOLS_REASON,
  PRODUCTION_VALUES,
  template,
} from './support.js';

if (!HAVE_HELM_TOOLS) console.warn(`\n!! SKIPPING the Helm chart tests: ${NO_HELM_TOOLS_REASON}\n`);

interface Container {
  name: string;
  image: string;
  args?: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  ports: { name: string; containerPort: number }[];
  startupProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext: Record<string, unknown>;
  volumes: Record<string, unknown>[];
}

const byKind = (ms: Manifest[], kind: string) => {
  const found = ms.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};
const podSpec = (d: Manifest) => (d.spec as { template: { spec: PodSpec } }).template.spec;
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));

/** The rendered manifests, checked by kubeconform: every one valid, none skipped for want of a schema. */
function validated(out: string): Manifest[] {
  const ms = manifestsOf(out);
  const v = kubeconform(out);
  expect(v.stdout + v.stderr).toContain(`${ms.length} resources found parsing stdin - Valid: ${ms.length}, Invalid: 0, Errors: 0, Skipped: 0`);
  expect(v.status).toBe(0);
  return ms;
}

describe.skipIf(!HAVE_HELM_TOOLS)('helm chart deploy/helm/ferry', () => {
  it('passes helm lint --strict with the default and the production values', () => {
    for (const values of [[], ['-f', PRODUCTION_VALUES]]) {
      const r = helm(['lint', '--strict', CHART, '--kube-version', KUBE_VERSION, ...values]);
      expect(r.stdout + r.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(r.status).toBe(0);
    }
  });

  it('renders one SQLite pod by default, valid for kubeconform -strict, non-root on a read-only root filesystem', () => {
    const r = template();
    expect(r.stderr).toBe('');
    const ms = validated(r.stdout);
    expect(ms.map((m) => m.kind).sort()).toEqual(['Deployment', 'PersistentVolumeClaim', 'Secret', 'Service', 'ServiceAccount']);

    const d = byKind(ms, 'Deployment');
    expect(d.spec!['replicas']).toBe(1);
    // One pod owns the SQLite file: the old one stops before the new one starts.
    expect(d.spec!['strategy']).toEqual({ type: 'Recreate' });
    const spec = podSpec(d);
    const c = spec.containers[0]!;
    expect(c.image).toBe('ferry:0.1.0');
    expect(c.ports).toEqual([{ name: 'http', containerPort: 5050, protocol: 'TCP' }]);
    expect([c.startupProbe.httpGet.path, c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual(['/health', '/health', '/ready']);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts.map((m) => m.mountPath).sort()).toEqual(['/data', '/tmp']);
    const pvc = byKind(ms, 'PersistentVolumeClaim');
    expect(spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: pvc.metadata.name } });

    const env = envOf(c);
    expect(env['FERRY_STORE']).toBeUndefined();
    expect(env['FERRY_ARTIFACTS']).toBeUndefined();
    expect(env['FERRY_DATA_DIR']).toBe('/data');
    // SIGTERM: /ready turns 503 and the pod keeps serving this long while the endpoints forget it.
    expect(env['FERRY_SHUTDOWN_DRAIN_MS']).toBe('5000');
    expect((d.spec as { template: { spec: { terminationGracePeriodSeconds: number } } }).template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(env['FERRY_ALLOWED_HOSTS']).toBe('ferry,ferry.ml,ferry.ml.svc,ferry.ml.svc.cluster.local');
    // A generated admin token, in the chart's Secret.
    const secret = byKind(ms, 'Secret');
    expect(env['FERRY_ADMIN_TOKEN']).toEqual({ name: secret.metadata.name, key: 'admin-token' });
    expect(Buffer.from(secret.data!['admin-token']!, 'base64').toString()).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it('renders a production release: 3+ pods on PostgreSQL and S3, ingress, queue-depth autoscaler, disruption budget', () => {
    const r = template({ files: [PRODUCTION_VALUES] });
    expect(r.stderr).toBe('');
    const ms = validated(r.stdout);
    // Every secret is the operator's: the chart makes none, and no PVC (nothing lives in /data).
    expect(ms.map((m) => m.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);

    const d = byKind(ms, 'Deployment');
    // The autoscaler owns the replica count.
    expect(d.spec!['replicas']).toBeUndefined();
    expect(d.spec!['strategy']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const spec = podSpec(d);
    const env = envOf(spec.containers[0]!);
    expect(env['FERRY_STORE']).toEqual({ name: 'ferry-postgres', key: 'url' });
    expect(env['FERRY_ARTIFACTS']).toBe('s3://ferry-artifacts/prod?endpoint=http://minio.storage.svc:9000&region=us-east-1&path_style=true');
    expect(env['AWS_ACCESS_KEY_ID']).toEqual({ name: 'ferry-s3', key: 'AWS_ACCESS_KEY_ID' });
    expect(env['AWS_SECRET_ACCESS_KEY']).toEqual({ name: 'ferry-s3', key: 'AWS_SECRET_ACCESS_KEY' });
    expect(env['FERRY_ADMIN_TOKEN']).toEqual({ name: 'ferry-admin', key: 'token' });
    // Every replica seals and signs with the same key.
    expect(env['FERRY_SECRET_KEY']).toEqual({ name: 'ferry-secret-key', key: 'key' });
    expect(String(env['FERRY_ALLOWED_HOSTS']).split(',')).toEqual(expect.arrayContaining(['ferry.internal.example.com', 'ferry.example.com', 'ferry.ml.svc']));
    expect(spec.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '2Gi' } });

    const hpa = byKind(ms, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10, scaleTargetRef: { kind: 'Deployment', name: d.metadata.name } });
    expect((hpa.spec as { metrics: unknown[] }).metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'ferry_queue_rows' }, target: { type: 'AverageValue', averageValue: '64' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(byKind(ms, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 2 });
    expect(byKind(ms, 'PodDisruptionBudget').spec!['maxUnavailable']).toBeUndefined();
    const ingress = byKind(ms, 'Ingress');
    expect(ingress.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ secretName: 'ferry-tls', hosts: ['ferry.example.com'] }] });
  });

  it('kubeconform catches a misspelt field and a wrongly typed one in the rendered chart (the check can fail)', () => {
    const good = template({ files: [PRODUCTION_VALUES] }).stdout;
    expect(good).toContain('readinessProbe:');
    const unknownField = kubeconform(good.replace('readinessProbe:', 'readinesProbe:'));
    expect(unknownField.status).not.toBe(0);
    expect(unknownField.stdout).toContain("additional properties 'readinesProbe' not allowed");
    const wrongType = kubeconform(good.replace('containerPort: 5050', 'containerPort: "5050"'));
    expect(wrongType.status).not.toBe(0);
    expect(wrongType.stdout).toMatch(/containerPort.*got string, want integer/);
    // A kind with no schema is an error, not a skip.
    const unknownKind = kubeconform('apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: x}\n');
    expect(unknownKind.status).not.toBe(0);
  });

  it('refuses several pods on SQLite or local artifacts, naming what to set', () => {
    const sqlite = template({ set: { replicaCount: '3' } });
    expect(sqlite.status).not.toBe(0);
    expect(sqlite.stderr).toContain('ferry: 3 replicas need PostgreSQL and S3: set store.postgres.url');
    const autoscaled = template({ set: { 'autoscaling.enabled': 'true', 'autoscaling.maxReplicas': '4' } });
    expect(autoscaled.status).not.toBe(0);
    expect(autoscaled.stderr).toContain('ferry: 4 replicas need PostgreSQL and S3');
    const noS3 = template({ set: { replicaCount: '2', 'store.postgres.url': 'postgres://ferry@pg/ferry' } });
    expect(noS3.status).not.toBe(0);
    expect(noS3.stderr).toContain('ferry: 2 replicas need PostgreSQL and S3: set artifacts.s3.bucket');
    const both = template({
      set: {
        replicaCount: '2',
        'store.postgres.url': 'postgres://ferry@pg/ferry',
        'artifacts.s3.bucket': 'ferry',
        'artifacts.s3.accessKeyId': 'k',
        'artifacts.s3.secretAccessKey': 's',
      },
    });
    expect(both.stderr).toBe('');
    const ms = validated(both.stdout);
    const secret = byKind(ms, 'Secret');
    expect(Object.keys(secret.data!).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'admin-token', 'secret-key', 'store-url']);
    expect(Buffer.from(secret.data!['store-url']!, 'base64').toString()).toBe('postgres://ferry@pg/ferry');
    expect(envOf(podSpec(byKind(ms, 'Deployment')).containers[0]!)['FERRY_STORE']).toEqual({ name: secret.metadata.name, key: 'store-url' });
  });

  it('refuses a drain that the termination grace period would cut short', () => {
    const r = template({ set: { shutdownDrainSeconds: '30' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ferry: terminationGracePeriodSeconds (30) must be above shutdownDrainSeconds (30)');
  });

  it('rejects values that do not fit values.schema.json', () => {
    const r = template({ set: { replicaCount: 'two' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("at '/replicaCount': got string, want integer");
    const typo = template({ set: { 'store.postgress.url': 'postgres://x@y/z' } });
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain('postgress');
  });
});

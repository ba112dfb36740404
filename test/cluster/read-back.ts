/**
 * Reading the cluster back for the replica test: JSON calls to one address (a replica or the load balancer), the
 * cluster metrics a replica exposes, and every acknowledged write looked up again — metric steps by run, dataset
 * versions by number (digest and bytes), prediction-log rows by request id, profile rows through the quality report.
 */
import type { Acked } from './traffic.js';

export interface Caller {
  url: string;
  token: string;
}

/** A JSON call; the body parsed (null when empty), never throws on a status. */
export async function call(c: Caller, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${c.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A call that must answer 2xx: its body (the failure names the call and what came back). */
export async function must(c: Caller, method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(c, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${c.url}${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One replica's /metrics, as `name{labels}` → value for the series of the given metric names. */
export interface Scrape {
  /** metric name → label value of `label` → value. */
  series: Map<string, Map<string, number>>;
  text: string;
}

export async function scrape(c: Caller, label = 'task'): Promise<Scrape> {
  const res = await fetch(`${c.url}/metrics`, { headers: { authorization: `Bearer ${c.token}` }, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${c.url}/metrics answered ${res.status}: ${text.slice(0, 300)}`);
  const series = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const lv = new RegExp(`(?:^|,)${label}="([^"]*)"`).exec(m[2]!);
    if (!lv) continue;
    let byLabel = series.get(m[1]!);
    if (!byLabel) series.set(m[1]!, (byLabel = new Map()));
    byLabel.set(lv[1]!, (byLabel.get(lv[1]!) ?? 0) + Number(m[3]));
  }
  return { series, text };
}

/** Per task, how much a counter grew between two scrapes of the same process. */
export function growth(before: Scrape, after: Scrape, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  const a = after.series.get(metric) ?? new Map<string, number>();
  const b = before.series.get(metric) ?? new Map<string, number>();
  for (const [task, v] of a) out.set(task, v - (b.get(task) ?? 0));
  return out;
}

/** Acknowledged metric steps the server no longer has, per run. */
export async function missingMetricSteps(c: Caller, acked: Acked): Promise<{ run: string; acked: number; missing: number[] }[]> {
  const out: { run: string; acked: number; missing: number[] }[] = [];
  for (const [run, steps] of acked.metrics) {
    const have = new Set<number>();
    let token = '';
    for (;;) {
      const page = await must(
        c,
        'GET',
        `/api/2.0/mlflow/metrics/get-history?run_id=${run}&metric_key=m${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
      );
      for (const m of page.metrics as { step: number }[]) have.add(Number(m.step));
      if (!page.next_page_token) break;
      token = page.next_page_token;
    }
    out.push({ run, acked: steps.size, missing: [...steps].filter((s) => !have.has(s)) });
  }
  return out;
}

/** Acknowledged dataset versions that are gone or differ (metadata by number, then the file's bytes). */
export async function missingDatasetVersions(c: Caller, acked: Acked): Promise<string[]> {
  const bad: string[] = [];
  for (const d of acked.datasets) {
    const v = await call(c, 'GET', `/api/v1/datasets/${d.dataset}/versions/${d.version}?profile=false`);
    if (v.status !== 200 || v.body.version.digest !== d.digest) {
      bad.push(`${d.dataset}@${d.version}: ${v.status} ${JSON.stringify(v.body).slice(0, 200)}`);
      continue;
    }
    const file = await fetch(`${c.url}/api/v1/datasets/${d.dataset}/versions/${d.version}/file`, { headers: { authorization: `Bearer ${c.token}` } });
    const bytes = await file.text();
    if (file.status !== 200 || bytes !== d.csv)
      bad.push(`${d.dataset}@${d.version}: file ${file.status}, ${bytes.length} bytes (acknowledged ${d.csv.length})`);
  }
  return bad;
}

/** Every request id the deployment's prediction log holds (all pages). */
export async function loggedRequestIds(c: Caller, deployment: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let token = '';
  for (;;) {
    const page = await must(c, 'GET', `/api/v1/deployments/${deployment}/predictions?limit=1000${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
    for (const p of page.predictions as { request_id: string }[]) ids.add(p.request_id);
    if (!page.next_page_token) break;
    token = page.next_page_token;
  }
  return ids;
}

/** The rows the deployment's monitoring profiles counted (the quality report, merged over windows and replicas). */
export async function profiledRows(c: Caller, deployment: string, feature: string): Promise<number> {
  const q = await must(c, 'GET', `/api/v1/deployments/${deployment}/quality?from=24h`);
  const f = (q.features as { name: string; rows: number }[]).find((x) => x.name === feature);
  return f?.rows ?? 0;
}

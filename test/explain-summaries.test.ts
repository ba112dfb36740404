/**
 * Global importance as a stored fact: each importance computed (not a cache hit) is stored and audited,
 * `?stored=true` answers the latest without computing, and the model card's explanations section shows it — its
 * figures checked against mean |φ| taken here from the explain endpoint's own attributions, and the card's hash
 * unchanged by renders and cache hits, changed by a new summary.
 */
import { expect, it } from 'vitest';
import { useTestApp, type TestApp } from './support/app.js';
import { expectedOf, registerFixture } from './support/models.js';
import { forEachStore } from './support/stores.js';

const wine = expectedOf('wine_gbdt');
const names: string[] = wine.feature_names;
const rows: number[][] = wine.inputs.float_input;
const records = rows.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j]])));
const IMPORTANCE = '/api/v1/models/wine/versions/1/importance';

async function card(t: TestApp, format = 'json') {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/models/wine/versions/1/card?format=${format}`, headers: t.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}

const explanationsOf = (body: string) =>
  (JSON.parse(body) as { sections: { id: string; status: string; reason: string | null; as_of: number | null; facts: any }[] }).sections.find(
    (s) => s.id === 'explanations',
  )!;

forEachStore('explanation summaries', (kind) => {
  const t = useTestApp(kind);

  it('stores each computed importance, answers it with stored=true, and refuses stored=true when none is stored', async () => {
    await registerFixture(t, 'wine', 'wine_gbdt.onnx');
    const csv = [names.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/datasets/wine-train/versions?filename=data.csv',
      headers: { ...t.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(push.statusCode, push.body).toBeLessThan(300);

    const none = await t.call('GET', `${IMPORTANCE}?stored=true`);
    expect(none.status).toBe(404);
    expect(none.body.detail ?? JSON.stringify(none.body)).toContain('No importance summary is stored');
    const empty = explanationsOf(await card(t));
    expect(empty).toMatchObject({ status: 'empty', as_of: null });
    expect(empty.reason).toContain('importance');

    // All 20 rows explained (rows ≥ the table), by TreeSHAP against the table itself.
    const q = `${IMPORTANCE}?dataset=wine-train&dataset_version=1&rows=20&seed=7`;
    const imp = await t.call('GET', q);
    expect(imp.status, JSON.stringify(imp.body)).toBe(200);
    expect(imp.body).toMatchObject({ method: 'tree_interventional', output_space: 'margin', rows: 20, seed: 7, cached: false, truncated: false });
    expect(imp.body.summary).toMatchObject({ id: expect.any(Number), created_by: 'admin' });
    expect(imp.body.summary.created_at).toBeGreaterThan(Date.now() - 60_000);

    // Mean |φ| taken here from the explain endpoint's attributions of the same rows against the same background.
    const ex = await t.call('POST', '/api/v1/models/wine/versions/1/explain', {
      instances: records,
      background: { dataset: 'wine-train', version: '1' },
      method: 'tree',
    });
    expect(ex.status, JSON.stringify(ex.body)).toBe(200);
    expect(ex.body.background.digest).toBe(imp.body.background.digest);
    const K = ex.body.outputs.length as number;
    for (const f of imp.body.features as { feature: string; mean_abs: number; per_output: number[] }[]) {
      const per = Array.from(
        { length: K },
        (_, o) =>
          (ex.body.explanations as { attributions: Record<string, number>[] }[]).reduce((s, e) => s + Math.abs(e.attributions[o]![f.feature]!), 0) /
          records.length,
      );
      per.forEach((v, o) => expect(Math.abs(f.per_output[o]! - v)).toBeLessThan(1e-9 * Math.max(1, v)));
      expect(Math.abs(f.mean_abs - per.reduce((a, b) => a + b, 0) / K)).toBeLessThan(1e-9);
    }

    // A cache hit computes nothing and stores nothing: the same summary.
    const hit = await t.call('GET', q);
    expect(hit.body).toEqual({ ...imp.body, cached: true });
    // stored=true answers the stored figures exactly (JSON round trip), computing nothing.
    const stored = await t.call('GET', `${IMPORTANCE}?stored=true`);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body).toEqual({ ...imp.body, cached: true });
    // It answers what was stored, so another background, method, rows or seed with it is refused naming the field.
    for (const field of ['method=kernel', 'rows=3', 'seed=1', 'dataset=wine-train&dataset_version=1']) {
      const r = await t.call('GET', `${IMPORTANCE}?stored=true&${field}`);
      expect(r.status, field).toBe(400);
      expect(r.body.errors[0].field).toBe(field.split('=')[0]);
    }
    expect((await t.call('GET', '/api/v1/models/nope/versions/1/importance?stored=true')).status).toBe(404);
    // Storing is a write: audited once (the cache hit and the stored reads are not).
    const audit = (await t.call('GET', '/api/v1/audit?limit=200')).body.entries as { action: string }[];
    expect(audit.filter((e) => e.action === 'model.importance.store')).toEqual([
      expect.objectContaining({ actor: 'admin', path: IMPORTANCE, method: 'GET', status: 200 }),
    ]);
  });

  it("shows the latest stored summary on the card; the card's hash changes only with a new summary", async () => {
    const first = (await t.call('GET', `${IMPORTANCE}?stored=true`)).body;
    const a = await card(t);
    const section = explanationsOf(a);
    expect(section).toMatchObject({ status: 'present', stale: false, as_of: first.summary.created_at });
    expect(section.facts).toMatchObject({
      summary_id: first.summary.id,
      method: 'tree_interventional',
      output_space: 'margin',
      outputs: first.outputs,
      background: { dataset: 'wine-train@1', rows: 20, digest: first.background.digest, source: 'request' },
      rows_explained: 20,
      seed: 7,
      truncated: false,
      features_total: 13,
      computed_by: 'admin',
    });
    expect(section.facts.top_features).toEqual(
      first.features.map((f: { feature: string; mean_abs: number }, i: number) => ({ rank: i + 1, feature: f.feature, mean_abs: f.mean_abs })),
    );
    const md = await card(t, 'md');
    expect(md).toContain(first.features[0].feature);
    expect(md).toContain('## Model examination');
    expect(md).toContain('tree\\_interventional');

    // No new summary: renders and cache hits leave the card byte-identical.
    await t.call('GET', `${IMPORTANCE}?dataset=wine-train&dataset_version=1&rows=20&seed=7`);
    expect(await card(t)).toBe(a);
    const hash = JSON.parse(a).content_hash as string;
    expect((await t.call('GET', '/api/v1/models/wine/versions/1/card/status')).body.content_hash).toBe(hash);

    // A new summary (other rows): the card shows it and its hash moves.
    const next = await t.call('GET', `${IMPORTANCE}?dataset=wine-train&dataset_version=1&rows=5&seed=1`);
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.summary.id).toBeGreaterThan(first.summary.id);
    const b = await card(t);
    expect(explanationsOf(b).facts).toMatchObject({ summary_id: next.body.summary.id, rows_explained: 5, seed: 1 });
    expect(explanationsOf(b).as_of).toBe(next.body.summary.created_at);
    expect(JSON.parse(b).content_hash).not.toBe(hash);
    expect(await card(t)).toBe(b);
  });
});

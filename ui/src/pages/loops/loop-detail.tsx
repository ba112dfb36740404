/**
 * One loop: its spec in brief (triggers, gate thresholds, rollout steps, approvals) and its runs, newest first.
 * Editors may trigger a run by hand.
 */
import { useState } from 'react';
import type { LoopInfo, LoopRunInfo } from '../../../../src/sdk/index.js';
import { useApi, useClient, useSession } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { FactsGrid } from '../../components/facts-grid.js';
import { Loading } from '../../components/loading.js';
import { formatDuration, formatTime } from '../../format.js';
import { href } from '../../router.js';
import { LoopStateBadge, RunStateBadge } from './badges.js';
import { rolloutText, thresholdText, triggersText } from './loop-format.js';

const POINT_WORDS: Record<string, string> = {
  before_training: 'before training',
  before_shadow: 'before shadow',
  before_canary: 'before the canary',
  before_promotion: 'before promotion',
};

function runColumns(loop: string): Column<LoopRunInfo>[] {
  return [
    {
      id: 'seq',
      header: 'Run',
      cell: (r) => <a href={href('/loops/:name/runs/:seq', { name: loop, seq: String(r.seq) })}>#{r.seq}</a>,
      sortValue: (r) => r.seq,
    },
    { id: 'state', header: 'State', cell: (r) => <RunStateBadge state={r.state} />, sortValue: (r) => r.state },
    { id: 'phase', header: 'At', cell: (r) => r.phase.replace(/_/g, ' ') },
    { id: 'trigger', header: 'Trigger', cell: (r) => `${r.trigger} (${r.author})` },
    {
      id: 'versions',
      header: 'Candidate / champion',
      cell: (r) => `v${r.candidate_version ?? '?'} / ${r.champion_version ? `v${r.champion_version}` : 'none'}`,
    },
    { id: 'started', header: 'Started', cell: (r) => formatTime(r.started_at), sortValue: (r) => r.started_at },
    { id: 'took', header: 'Took', cell: (r) => formatDuration((r.ended_at ?? Date.now()) - r.started_at) },
    { id: 'reason', header: 'Why', cell: (r) => r.reason ?? '' },
  ];
}

export function LoopDetail({ name }: { name: string }) {
  const data = useApi(async (c) => ({ loop: await c.loops.get(name), runs: await c.loops.runs(name) }), [name]);
  const { who } = useSession();
  const canEdit = who.role === 'editor' || who.role === 'admin';
  return (
    <div>
      <div className="page-header">
        <h1>Loop {name}</h1>
        {data.data ? <LoopStateBadge state={data.data.loop.state} /> : null}
        <a href={href('/loops')}>← Loops</a>
        <span className="grow" />
        {canEdit && data.data ? <TriggerButton loop={name} onDone={data.reload} /> : null}
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.loading && !data.data ? <Loading label="Loading the loop…" /> : null}
      {data.data ? (
        <>
          <LoopSpec loop={data.data.loop} />
          <section className="panel" aria-label="Runs">
            <h2>Runs</h2>
            <DataTable label="Loop runs" columns={runColumns(name)} rows={data.data.runs} rowKey={(r) => String(r.seq)} empty="No runs yet." />
          </section>
        </>
      ) : null}
    </div>
  );
}

function LoopSpec({ loop }: { loop: LoopInfo }) {
  const s = loop.spec;
  return (
    <FactsGrid className="loop-facts">
      <section className="panel" aria-label="Loop">
        <dl className="meta">
          <dt>Model</dt>
          <dd>
            <a href={href('/models/:name', { name: loop.model })}>{loop.model}</a>
          </dd>
          <dt>Deployment</dt>
          <dd>
            <a href={href('/deployments/:name', { name: loop.deployment })}>{loop.deployment}</a>
          </dd>
          <dt>Triggers</dt>
          <dd>
            <ul>
              {triggersText(loop).map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
            <span className="muted">debounce {s.debounce}</span>
          </dd>
          <dt>Training</dt>
          <dd>
            {s.training ? (
              <>
                {s.training.project ? `project ${s.training.project.slice(0, 12)}` : s.training.git ? `git ${s.training.git.url}` : 'a project'}
                {s.training.entry_point ? `, entry point ${s.training.entry_point}` : ''}
                {s.training.executor ? ` on ${s.training.executor}` : ''}
                {s.training.data ? `, trained on ${s.training.data.dataset}${s.training.data.version ? ` v${s.training.data.version}` : ''}` : ''}
              </>
            ) : (
              <span className="muted">none: a run judges a registered version</span>
            )}
          </dd>
          <dt>Created</dt>
          <dd>
            {formatTime(loop.created_at)} by {loop.created_by}
          </dd>
          {s.dry_run ? (
            <>
              <dt>Mode</dt>
              <dd>dry run: reports what it would decide, changes nothing</dd>
            </>
          ) : null}
        </dl>
        {loop.description ? <p>{loop.description}</p> : null}
      </section>
      <section className="panel" aria-label="Policy">
        <h3>Gate</h3>
        <ul>
          {s.gate.thresholds.map((t, i) => (
            <li key={i}>{thresholdText(t)}</li>
          ))}
          <li className="muted">
            on {s.gate.holdout ? `${s.gate.holdout.dataset}${s.gate.holdout.version ? ` v${s.gate.holdout.version}` : ''}` : 'no holdout'}
            {s.gate.production_window !== null ? ` and the last ${s.gate.production_window ?? '7d'} of labelled traffic` : ''}
            {s.gate.slices?.length ? `, per slice of ${s.gate.slices.map((x) => x.feature).join(', ')}` : ''}
          </li>
        </ul>
        <h3>Rollout</h3>
        <ol>
          {rolloutText(loop).map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ol>
        <h3>Approvals</h3>
        {s.approvals.length ? (
          <ul>
            {s.approvals.map((a) => (
              <li key={a.at}>
                {POINT_WORDS[a.at] ?? a.at}
                {a.distinct_from_author !== false ? ', by someone other than the run’s author' : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">none: the loop decides by itself</p>
        )}
      </section>
    </FactsGrid>
  );
}

function TriggerButton({ loop, onDone }: { loop: string; onDone: () => void }) {
  const client = useClient();
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const go = async () => {
    setState({ busy: true });
    try {
      await client.loops.trigger(loop, { reason: 'triggered from the UI' });
      setState({ busy: false });
      onDone();
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <>
      {state.error ? <ErrorBanner error={state.error} /> : null}
      <button type="button" disabled={state.busy} onClick={() => void go()}>
        Trigger a run
      </button>
    </>
  );
}

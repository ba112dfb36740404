/**
 * One loop run as a timeline: the decision (or where the run is) as the headline with its sentence, the facts,
 * the triggers coalesced into it, the primary metric's interval across the shadow and canary verdicts, and one
 * row per step in order — time, actor, kind, status and sentence — each expanding to its evidence. A run that
 * is not over reads itself again every 2 s.
 */
import { useEffect, useMemo, useState } from 'react';
import { isTerminalLoopRun, type LoopRunDetail, type LoopStep } from '../../../../src/sdk/index.js';
import { useApi, useSession } from '../../api.js';
import { ApiStatus, PageHeader } from '../../components/page-frame.js';
import { formatDuration, formatTime } from '../../format.js';
import { href } from '../../router.js';
import { ApprovalPanel, ForcePromotion } from './approval-actions.js';
import { RunStateBadge, StepStatusBadge } from './badges.js';
import { BandChart, basisName } from './band-chart.js';
import { bandPoints, fmtInterval, runStateClass, runStateText, statusClass, stepLabel, type BandPoint, primaryValue } from './loop-format.js';
import { StepEvidence } from './step-evidence.js';

const REFRESH_MS = 2000;

export function RunTimeline({ name, seq }: { name: string; seq: number }) {
  const data = useApi(
    async (c) => {
      const [loop, run] = await Promise.all([c.loops.get(name), c.loops.run(name, seq)]);
      return { loop, run };
    },
    [name, seq],
  );
  const run = data.data?.run;
  const live = run !== undefined && !isTerminalLoopRun(run.state);
  const { reload } = data;
  useEffect(() => {
    if (!live) return;
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [live, reload]);
  const { who } = useSession();

  const top = (
    <>
      <PageHeader title={`Loop ${name} · run #${seq}`} actions={live ? <span className="muted">refreshing every 2 s</span> : null} onRefresh={data.reload}>
        {run ? <RunStateBadge state={run.state} /> : null}
        <a href={href('/loops/:name', { name })}>← Loop {name}</a>
      </PageHeader>
      <ApiStatus state={data} loadingLabel="Loading the run…" />
    </>
  );
  if (!data.data) return <div>{top}</div>;
  const { loop } = data.data;
  const r = data.data.run;
  return (
    <div>
      {top}
      <Headline run={r} />
      {who.role === 'admin' && !isTerminalLoopRun(r.state) ? <ForcePromotion run={r} onDone={data.reload} /> : null}
      <RunFacts run={r} model={loop.model} />
      {r.triggers.length ? <Coalesced run={r} /> : null}
      <Rollout steps={r.steps} />
      <Timeline run={r} model={loop.model} deployment={loop.deployment} onChanged={data.reload} />
    </div>
  );
}

function headlineWord(r: LoopRunDetail): string {
  if (r.state === 'running') return `Running: ${r.phase.replace(/_/g, ' ')}`;
  if (r.state === 'awaiting_approval') return 'Awaiting approval';
  const w = runStateText(r.state);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function Headline({ run: r }: { run: LoopRunDetail }) {
  // Who approved it (or forced it): the people in the decision, said next to it.
  const people = r.steps.filter((s) => s.kind === 'approved');
  return (
    <section className={`panel loop-headline ${runStateClass(r.state)}`} aria-label="Decision">
      <h2>{headlineWord(r)}</h2>
      <p>{r.reason ?? ''}</p>
      {people.length ? (
        <ul className="loop-people">
          {people.map((s) => (
            <li key={s.seq}>{s.reason}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function RunFacts({ run: r, model }: { run: LoopRunDetail; model: string }) {
  const version = (v: string | null) =>
    v ? <a href={href('/models/:name/versions/:version', { name: model, version: v })}>{`${model} v${v}`}</a> : <span className="muted">none</span>;
  return (
    <section className="panel" aria-label="Run">
      <dl className="meta">
        <dt>Trigger</dt>
        <dd>
          {r.trigger}, by {r.author}
          {r.dry_run ? <span className="muted"> · dry run: nothing changes</span> : null}
        </dd>
        <dt>Candidate</dt>
        <dd>{version(r.candidate_version)}</dd>
        <dt>Champion</dt>
        <dd>{version(r.champion_version)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(r.started_at)}</dd>
        <dt>{r.ended_at ? 'Ended' : 'Running for'}</dt>
        <dd>{r.ended_at ? `${formatTime(r.ended_at)} (took ${formatDuration(r.ended_at - r.started_at)})` : formatDuration(Date.now() - r.started_at)}</dd>
      </dl>
    </section>
  );
}

function Coalesced({ run: r }: { run: LoopRunDetail }) {
  return (
    <section className="panel" aria-label="Triggers">
      <h3>Triggers</h3>
      <ul>
        {r.triggers.map((t, i) => (
          <li key={i}>
            {formatTime(t.at)} · {t.kind} by {t.actor}: {t.detail}
            {t.coalesced ? <span className="muted"> (coalesced into this run)</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Rollout({ steps }: { steps: readonly LoopStep[] }) {
  const points = useMemo(() => bandPoints(steps), [steps]);
  const groups = useMemo(() => {
    const m = new Map<string, BandPoint[]>();
    for (const p of points) m.set(p.basis ?? 'none', [...(m.get(p.basis ?? 'none') ?? []), p]);
    return [...m.values()];
  }, [points]);
  // A group whose verdicts all lacked an estimate has nothing to draw: said in words instead of an empty chart.
  const charted = groups.filter((g) => g.some((p) => p.estimate !== null));
  if (points.length === 0) return null;
  return (
    <section className="panel" aria-label="Rollout">
      <h2>
        Shadow and canary: the primary metric with its interval <span className="muted">(shaded)</span>
      </h2>
      {charted.map((g) => (
        <div key={g[0]!.basis ?? 'none'}>
          <h3>{basisName(g[0]!.basis)}</h3>
          <BandChart points={g} metric={basisName(g[0]!.basis)} />
        </div>
      ))}
      {charted.length < groups.length ? (
        <p className="muted">
          {groups
            .filter((g) => !charted.includes(g))
            .flatMap((g) => g.map((p) => p.label))
            .filter((l, i, all) => all.indexOf(l) === i)
            .join(', ')}
          : no estimate yet (too little data at each verdict), so nothing to chart.
        </p>
      ) : null}
      <table className="data-table" aria-label="Verdicts">
        <thead>
          <tr>
            <th>Step</th>
            <th className="num">Estimate</th>
            <th>Interval</th>
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p, i) => {
            const view = { basis: p.basis } as Parameters<typeof primaryValue>[0];
            return (
              <tr key={i}>
                <td>{p.label}</td>
                <td className="num">{primaryValue(view, p.estimate)}</td>
                <td>{fmtInterval(p.lower, p.upper, (x) => primaryValue(view, x))}</td>
                <td>{formatTime(p.at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Open at first: the gate, training, the verdict that decided the latest phase, and an approval being waited for. */
function openByDefault(r: LoopRunDetail, s: LoopStep): boolean {
  if (s.kind === 'evaluating' || s.kind === 'training') return true;
  const last = r.steps[r.steps.length - 1];
  if (s.kind === 'awaiting_approval') return r.state === 'awaiting_approval' && last?.seq === s.seq;
  if (s.kind === 'shadow' || s.kind === 'canary') {
    const lastJudged = [...r.steps].reverse().find((x) => (x.kind === 'shadow' || x.kind === 'canary') && x.status !== 'started');
    return lastJudged?.seq === s.seq;
  }
  return false;
}

function Timeline({ run: r, model, deployment, onChanged }: { run: LoopRunDetail; model: string; deployment: string; onChanged: () => void }) {
  const [toggled, setToggled] = useState<ReadonlyMap<number, boolean>>(new Map());
  const { who } = useSession();
  const canDecide = who.role === 'editor' || who.role === 'admin';
  return (
    <section className="panel" aria-label="Timeline">
      <h2>Timeline</h2>
      <ol className="loop-timeline">
        {r.steps.map((s) => {
          const open = toggled.get(s.seq) ?? openByDefault(r, s);
          const awaiting = s.kind === 'awaiting_approval' && r.state === 'awaiting_approval' && r.steps[r.steps.length - 1]?.seq === s.seq;
          return (
            <li key={s.seq} className={`loop-step ${statusClass(s.status)}`} data-kind={s.kind} aria-label={`Step ${s.seq}: ${stepLabel(s)}`}>
              <div className="loop-step-head">
                <time dateTime={new Date(s.at).toISOString()}>{formatTime(s.at)}</time>
                <span className="step-kind">{stepLabel(s)}</span>
                <StepStatusBadge status={s.status} />
                <span className="muted">by {s.actor}</span>
                <button type="button" className="link-button" aria-expanded={open} onClick={() => setToggled((m) => new Map(m).set(s.seq, !open))}>
                  {open ? 'Hide evidence' : 'Evidence'}
                </button>
              </div>
              <p className="loop-step-reason">{s.reason}</p>
              {open ? <StepEvidence step={s} model={model} deployment={deployment} /> : null}
              {awaiting && canDecide ? <ApprovalPanel run={r} onDone={onChanged} /> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

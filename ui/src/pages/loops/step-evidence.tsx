/**
 * A step's evidence rendered for people, by kind: the gate table, a verdict with its numbers, a training job
 * with its log and data, or (for the rest) the evidence's fields as a short list. Links (model version,
 * deployment revision, A/B test) come first.
 */
import type { LoopStep } from '../../../../src/sdk/index.js';
import { href } from '../../router.js';
import { GateTable } from './gate-table.js';
import { JudgeEvidenceView } from './judge-view.js';
import { asGate, asJudge } from './loop-format.js';
import { DatasetVersions, TrainingEvidence } from './training-evidence.js';

function StepLinks({ step, model, deployment }: { step: LoopStep; model: string; deployment: string }) {
  const l = step.links;
  const parts = [];
  if (l.model_version)
    parts.push(
      <span key="mv">
        candidate <a href={href('/models/:name/versions/:version', { name: model, version: l.model_version })}>v{l.model_version}</a>
      </span>,
    );
  if (l.champion_version)
    parts.push(
      <span key="cv">
        champion <a href={href('/models/:name/versions/:version', { name: model, version: l.champion_version })}>v{l.champion_version}</a>
      </span>,
    );
  if (l.deployment_revision !== undefined)
    parts.push(
      <span key="dr">
        <a href={href('/deployments/:name', { name: deployment })}>{deployment}</a> revision {l.deployment_revision}
      </span>,
    );
  if (l.abtest)
    parts.push(
      <span key="ab">
        A/B test <a href={href('/abtests/:name', { name: l.abtest })}>{l.abtest}</a>
      </span>,
    );
  if (l.alert_rule) parts.push(<span key="ar">alert rule {l.alert_rule}</span>);
  if (parts.length === 0) return null;
  return (
    <p className="muted">
      {parts.map((p, i) => (
        <span key={i}>
          {i ? ' · ' : ''}
          {p}
        </span>
      ))}
    </p>
  );
}

function plain(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function EvidenceList({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return null;
  return (
    <dl className="meta">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k.replace(/_/g, ' ')}</dt>
          <dd>{plain(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function StepEvidence({ step, model, deployment }: { step: LoopStep; model: string; deployment: string }) {
  let body;
  if (step.kind === 'training') body = <TrainingEvidence step={step} />;
  else if (step.kind === 'evaluating') {
    const g = asGate(step.evidence);
    body = g ? (
      <>
        <DatasetVersions step={step} />
        <GateTable gate={g} />
      </>
    ) : (
      <EvidenceList evidence={step.evidence} />
    );
  } else if (step.kind === 'shadow' || step.kind === 'canary') {
    const j = asJudge(step.evidence);
    body = j ? <JudgeEvidenceView judge={j} /> : <EvidenceList evidence={step.evidence} />;
  } else body = <EvidenceList evidence={step.evidence} />;
  return (
    <div className="loop-step-body">
      <StepLinks step={step} model={model} deployment={deployment} />
      {body}
    </div>
  );
}

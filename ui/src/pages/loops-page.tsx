/**
 * Loops: `#/loops` lists the loops (model, deployment, state, last run and its sentence); `#/loops/:name` shows a
 * loop's spec in brief and its runs; `#/loops/:name/runs/:seq` is a run's timeline — trigger, training and its
 * log, the gate table, shadow and canary verdicts with their interval band, approvals, and the decision.
 */
import type { PageDef, PageProps } from '../page.js';
import { LoopDetail } from './loops/loop-detail.js';
import { LoopsList } from './loops/loops-list.js';
import { RunTimeline } from './loops/run-timeline.js';
import './loops/loops.css';

function LoopsPage() {
  return (
    <div>
      <div className="page-header">
        <h1>Loops</h1>
      </div>
      <LoopsList />
    </div>
  );
}

function LoopPage({ params }: PageProps) {
  const name = params['name']!;
  return <LoopDetail key={name} name={name} />;
}

function LoopRunPage({ params }: PageProps) {
  const name = params['name']!;
  const seq = Number(params['seq']);
  if (!Number.isInteger(seq) || seq < 1)
    return (
      <div className="panel" role="alert">
        <h1>Not found</h1>
        <p>A loop run is a positive whole number, as in #/loops/{name}/runs/1.</p>
      </div>
    );
  return <RunTimeline key={`${name}#${seq}`} name={name} seq={seq} />;
}

export const pages: PageDef[] = [
  { path: '/loops', component: LoopsPage, section: 'Loops', navEntry: true, title: 'Loops' },
  { path: '/loops/:name', component: LoopPage, section: 'Loops', title: 'Loop' },
  { path: '/loops/:name/runs/:seq', component: LoopRunPage, section: 'Loops', title: 'Loop run' },
];

/**
 * Alerts: `#/alerts?tab=current|history|rules|silences`. Firing and resolved alert groups per deployment with
 * their causes, the state history, the rules, and silences. Refresh reloads the open tab; editors can also
 * evaluate every rule now.
 */
import { useState } from 'react';
import type { AlertEvaluation } from '../../../src/sdk/index.js';
import type { PageDef, PageProps } from '../page.js';
import { useClient, useSession } from '../api.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Tabs } from '../components/tabs.js';
import { formatTime } from '../format.js';
import { href, navigate } from '../router.js';
import { CurrentAlerts } from './alerts/current-alerts.js';
import { HistoryTab } from './alerts/history-tab.js';
import { RulesTab } from './alerts/rules-tab.js';
import { SilencesTab } from './alerts/silences-tab.js';
import './alerts/alerts.css';
import './monitoring/monitoring.css';

function AlertsPage({ query }: PageProps) {
  const client = useClient();
  const { who } = useSession();
  const canEdit = who.role === 'editor' || who.role === 'admin';
  const tab = query.get('tab') ?? 'current';
  const [tick, setTick] = useState(0);
  const [evaluation, setEvaluation] = useState<{ result?: AlertEvaluation; error?: unknown; busy: boolean }>({ busy: false });

  const evaluate = async () => {
    setEvaluation({ busy: true });
    try {
      setEvaluation({ result: await client.alerts.evaluate(), busy: false });
    } catch (error) {
      setEvaluation({ error, busy: false });
    }
    setTick((t) => t + 1);
  };

  return (
    <div>
      <div className="page-header">
        <h1>Alerts</h1>
        <span className="grow" />
        <button type="button" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
        {canEdit ? (
          <button type="button" onClick={() => void evaluate()} disabled={evaluation.busy} title="Evaluate every rule now (POST /api/v1/alerts/evaluate)">
            Evaluate now
          </button>
        ) : null}
      </div>
      <ErrorBanner error={evaluation.error} />
      {evaluation.result ? (
        <p className="muted" role="status">
          Evaluated {evaluation.result.rules} rules at {formatTime(evaluation.result.evaluated_at)}: {evaluation.result.transitions.length} changed state.
        </p>
      ) : null}
      <Tabs
        active={tab}
        onChange={(t) => navigate(href('/alerts', {}, { tab: t === 'current' ? undefined : t }), { replace: true })}
        tabs={[
          { id: 'current', label: 'Alerts', render: () => <CurrentAlerts tick={tick} /> },
          { id: 'history', label: 'History', render: () => <HistoryTab tick={tick} /> },
          { id: 'rules', label: 'Rules', render: () => <RulesTab tick={tick} /> },
          { id: 'silences', label: 'Silences', render: () => <SilencesTab key={tick} canEdit={canEdit} /> },
        ]}
      />
    </div>
  );
}

export const pages: PageDef[] = [{ path: '/alerts', component: AlertsPage, section: 'Alerts', navEntry: true, title: 'Alerts' }];

/** Tabs whose panels render only when active (a heavy tab costs nothing until opened). */
import type { ReactNode } from 'react';

export interface Tab {
  id: string;
  label: ReactNode;
  render: () => ReactNode;
}

export function Tabs({ tabs, active, onChange }: { tabs: readonly Tab[]; active: string; onChange: (id: string) => void }) {
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === current?.id}
            aria-controls={`panel-${t.id}`}
            className={t.id === current?.id ? 'tab active' : 'tab'}
            onClick={() => onChange(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {current ? (
        <div className="tab-panel" role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
          {current.render()}
        </div>
      ) : null}
    </div>
  );
}

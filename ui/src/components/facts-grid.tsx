/** Two columns for a detail page: its facts, and beside them a narrower panel (at least 260px). */
import type { ReactNode } from 'react';
import './facts-grid.css';

export function FactsGrid({ className, children }: { className?: string; children: ReactNode }) {
  return <div className={className ? `facts-grid ${className}` : 'facts-grid'}>{children}</div>;
}

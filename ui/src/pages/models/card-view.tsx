/**
 * A model version's card (`GET …/card`, generated from stored facts) on the version page: each section with its
 * `as_of`, stale sections marked, empty or unavailable ones saying why, and the validation report to download.
 * Rendered from the card's JSON (React escapes every fact; the UI's CSP allows no inline styles, so the standalone
 * HTML card is offered as a download rather than framed).
 */
import { type ReactNode, useState } from 'react';
import type { ModelCard } from '../../../../src/sdk/index.js';
import { useApi, useClient } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { saveResponse } from '../../download.js';
import { formatTime } from '../../format.js';
import './card-view.css';

type Section = ModelCard['sections'][number];

/** A policy age for people: days when at least one, else hours, minutes or seconds. */
function age(days: number | null): string {
  const d = days ?? 0;
  const round = (x: number) => String(Math.round(x * 100) / 100);
  if (d >= 1) return `${round(d)} days`;
  const s = d * 86_400;
  return s >= 3600 ? `${round(s / 3600)} hours` : s >= 60 ? `${round(s / 60)} minutes` : `${round(s)} seconds`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A fact as text: times (keys ending in _at or _time) as local times, nested values as compact JSON. */
function text(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number' && /(_at|_time|^at)$/.test(key) && value > 1e11) return formatTime(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Facts of any shape: records as definition lists, lists of records as tables, the rest as text. */
function Facts({ value, name = '' }: { value: unknown; name?: string }): ReactNode {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    // Records holding lists or records read better one after another than as cells of one table.
    if (value.every(isRecord) && value.some((r) => Object.values(r).some((v) => v !== null && typeof v === 'object'))) {
      return (
        <div className="card-records">
          {value.map((r, i) => (
            <Facts key={i} value={r} />
          ))}
        </div>
      );
    }
    if (value.every(isRecord)) {
      const keys = [...new Set(value.flatMap((r) => Object.keys(r)))];
      return (
        <div className="card-table">
          <table>
            <thead>
              <tr>
                {keys.map((k) => (
                  <th key={k}>{k}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {value.map((r, i) => (
                <tr key={i}>
                  {keys.map((k) => (
                    <td key={k}>{Array.isArray(r[k]) ? <Facts value={r[k]} name={k} /> : text(r[k], k)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    return <>{value.map((v) => text(v)).join(', ')}</>;
  }
  if (isRecord(value)) {
    // mct_metrics: the MCT view's copy of numbers shown elsewhere in the section.
    const entries = Object.entries(value).filter(([k]) => k !== 'mct_metrics');
    if (entries.length === 0) return <span className="muted">none</span>;
    return (
      <dl className="card-facts">
        {entries.map(([k, v]) => (
          <div key={k} className="card-fact">
            <dt>{k}</dt>
            <dd>
              <Facts value={v} name={k} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{text(value, name)}</>;
}

function SectionView({ s }: { s: Section }) {
  return (
    <section className={`card-section${s.stale ? ' stale' : ''}`} data-section={s.id} aria-label={s.title}>
      <h3>
        {s.title} {s.stale ? <span className="badge card-stale">stale: older than {age(s.stale_after_days)}</span> : null}
        {s.status !== 'present' ? <span className="badge">{s.status}</span> : null}
      </h3>
      <p className="muted">
        as of {s.as_of !== null ? formatTime(s.as_of) : '—'}
        {s.reason ? ` · ${s.reason}` : ''}
      </p>
      {s.status === 'present' || s.id === 'uses' || s.id === 'risks' ? <Facts value={s.facts} /> : null}
    </section>
  );
}

export function ModelCardView({ model, version }: { model: string; version: string }) {
  const client = useClient();
  const card = useApi((c) => c.cards.get(model, version), [model, version]);
  const [busy, setBusy] = useState<{ what: string | null; error?: unknown }>({ what: null });
  const download = async (what: 'report' | 'html') => {
    setBusy({ what });
    try {
      if (what === 'report')
        await saveResponse(new Response((await client.cards.report(model, version)).slice()), `${model}-v${version}-validation-report.zip`);
      else await saveResponse(new Response(await client.cards.render(model, version, 'html')), `${model}-v${version}-card.html`);
      setBusy({ what: null });
    } catch (error) {
      setBusy({ what: null, error });
    }
  };
  const c = card.data;
  return (
    <div className="panel model-card">
      <ErrorBanner error={card.error ?? busy.error} onRetry={card.reload} />
      {card.loading && !c ? <Loading /> : null}
      {c ? (
        <>
          <div className="card-head">
            <span>
              Content hash <code title={c.content_hash}>{c.content_hash.slice(0, 19)}…</code>
              {c.as_of !== null ? ` · newest fact ${formatTime(c.as_of)}` : ''}
            </span>
            {c.stale_sections.length > 0 ? (
              <span className="badge card-stale" data-testid="stale-sections">
                stale: {c.stale_sections.join(', ')}
              </span>
            ) : (
              <span className="badge">no stale sections</span>
            )}
            <span className="grow" />
            <button type="button" onClick={() => void download('html')} disabled={busy.what !== null}>
              Card (HTML)
            </button>
            <button type="button" className="primary" onClick={() => void download('report')} disabled={busy.what !== null}>
              Download validation report
            </button>
          </div>
          {c.sections.map((s) => (
            <SectionView key={s.id} s={s} />
          ))}
        </>
      ) : null}
    </div>
  );
}

/**
 * One dataset version (`#/data/:name/:version?tab=profile|schema|validations|lineage&col=income`), by number,
 * tag, `latest` or digest prefix: its facts, schema warnings, profile, validation results and lineage.
 */
import { useCallback, useState } from 'react';
import type { DatasetVersionWithProfile } from '../../../../src/sdk/index.js';
import { useApi, useClient } from '../../api.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { Tabs } from '../../components/tabs.js';
import { saveResponse } from '../../download.js';
import { formatBytes, formatNumber, formatTime } from '../../format.js';
import { href, navigate, type QueryInit } from '../../router.js';
import { LineagePanel } from './lineage-panel.js';
import { ProfileTable } from './profile-table.js';
import { SchemaPanel, SchemaWarnings } from './schema-panel.js';
import { ValidationsPanel } from './validations-panel.js';

export function VersionView({ name, version, query }: { name: string; version: string; query: URLSearchParams }) {
  const v = useApi((c) => c.data.version(name, version), [name, version]);
  const tab = query.get('tab') ?? 'profile';
  const col = query.get('col');
  const queryText = query.toString();
  const update = useCallback(
    (patch: QueryInit) => {
      const q = new URLSearchParams(queryText);
      navigate(href('/data/:name/:version', { name, version }, { tab: q.get('tab'), col: q.get('col'), ...patch }), { replace: true });
    },
    [name, version, queryText],
  );
  const onOpen = useCallback((c: string | null) => update({ col: c }), [update]);

  if (!v.data) {
    return (
      <div>
        <h1>
          {name}@{version}
        </h1>
        <ErrorBanner error={v.error} onRetry={v.reload} />
        {v.loading ? <Loading label="Loading the version and its profile…" /> : null}
      </div>
    );
  }
  const d = v.data;
  return (
    <div>
      <VersionHeader v={d} />
      <ErrorBanner error={v.error} onRetry={v.reload} />
      <SchemaWarnings warnings={d.schema.warnings} />
      <Tabs
        active={tab}
        onChange={(t) => update({ tab: t === 'profile' ? undefined : t })}
        tabs={[
          {
            id: 'profile',
            label: `Profile (${d.profile.columns.length} columns)`,
            render: () => <ProfileTable columns={d.profile.columns} open={col} onOpen={onOpen} />,
          },
          {
            id: 'schema',
            label: `Schema${d.schema.warnings.length > 0 ? ` (${d.schema.warnings.length} warnings)` : ''}`,
            render: () => <SchemaPanel schema={d.schema} />,
          },
          { id: 'validations', label: 'Validations', render: () => <ValidationsPanel name={name} version={String(d.version)} /> },
          { id: 'lineage', label: 'Lineage', render: () => <LineagePanel name={name} version={String(d.version)} /> },
        ]}
      />
    </div>
  );
}

function VersionHeader({ v }: { v: DatasetVersionWithProfile }) {
  const client = useClient();
  const [download, setDownload] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const save = async () => {
    setDownload({ busy: true });
    try {
      await saveResponse(await client.data.download(v.dataset, v.version), v.filename || `${v.dataset}-${v.version}.${v.format}`);
      setDownload({ busy: false });
    } catch (error) {
      setDownload({ busy: false, error });
    }
  };
  return (
    <>
      <div className="page-header">
        <h1>{v.ref}</h1>
        {v.tags.map((t) => (
          <span key={t} className="badge tag">
            {t}
          </span>
        ))}
        <a href={href('/data/:name', { name: v.dataset })}>← {v.dataset}</a>
        <span className="grow" />
        {v.version > 1 ? (
          <a className="button" href={href('/data/:name/diff', { name: v.dataset }, { from: v.version - 1, to: v.version })}>
            Compare with v{v.version - 1}
          </a>
        ) : null}
        <button type="button" onClick={() => void save()} disabled={download.busy}>
          Download
        </button>
      </div>
      <ErrorBanner error={download.error} />
      <dl className="meta panel">
        <dt>Rows × columns</dt>
        <dd>
          {formatNumber(v.rows)} × {v.columns}
        </dd>
        <dt>File</dt>
        <dd>
          {v.filename} · {v.format} · {formatBytes(v.size_bytes)}
        </dd>
        <dt>Digest</dt>
        <dd>
          <code>sha256:{v.digest}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          {formatTime(Date.parse(v.created_at))} by {v.created_by}
        </dd>
        {v.description ? (
          <>
            <dt>Description</dt>
            <dd>{v.description}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

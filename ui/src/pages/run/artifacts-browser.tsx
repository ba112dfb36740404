/** A run's artifacts: folders to open (one listing per folder), files to download with the signed-in token. */
import { useState } from 'react';
import type { ArtifactFile } from '../../../../src/sdk/index.js';
import { useApi, useClient } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { saveResponse } from '../../download.js';
import { formatBytes } from '../../format.js';
import { artifactDownloadPath, baseName, breadcrumbs } from './artifact-paths.js';

export function ArtifactsBrowser({ runId, rootUri }: { runId: string; rootUri: string }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const listing = useApi((c) => c.runs.listArtifacts(runId, path), [runId, path]);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(undefined);
  const root = listing.data?.root_uri ?? rootUri;

  const download = async (file: ArtifactFile) => {
    const target = artifactDownloadPath(root, file.path);
    if (!target) return;
    setDownloading(file.path);
    setDownloadError(undefined);
    try {
      await saveResponse(await client.http.download(target), baseName(file.path));
    } catch (err) {
      setDownloadError(err);
    } finally {
      setDownloading(null);
    }
  };

  const files = [...(listing.data?.files ?? [])].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
  const columns: Column<ArtifactFile>[] = [
    {
      id: 'name',
      header: 'Name',
      sortValue: (f) => f.path,
      cell: (f) =>
        f.is_dir ? (
          <button type="button" className="link-button" onClick={() => setPath(f.path)}>
            📁 {baseName(f.path)}/
          </button>
        ) : (
          <span>{baseName(f.path)}</span>
        ),
    },
    { id: 'size', header: 'Size', align: 'right', sortValue: (f) => f.file_size ?? null, cell: (f) => (f.is_dir ? '' : formatBytes(f.file_size)) },
    {
      id: 'download',
      header: '',
      cell: (f) =>
        f.is_dir ? null : artifactDownloadPath(root, f.path) ? (
          <button type="button" onClick={() => void download(f)} disabled={downloading === f.path} aria-label={`Download ${baseName(f.path)}`}>
            {downloading === f.path ? 'Downloading…' : 'Download'}
          </button>
        ) : (
          <span className="muted" title={root}>
            stored outside this server
          </span>
        ),
    },
  ];

  return (
    <div className="artifacts">
      <nav className="toolbar breadcrumbs" aria-label="Artifact folder">
        {breadcrumbs(path).map((b, i, all) =>
          i === all.length - 1 ? (
            <strong key={b.path}>{b.label}</strong>
          ) : (
            <span key={b.path}>
              <button type="button" className="link-button" onClick={() => setPath(b.path)}>
                {b.label}
              </button>{' '}
              /
            </span>
          ),
        )}
        <span className="muted mono">{root}</span>
      </nav>
      <ErrorBanner error={listing.error} onRetry={listing.reload} />
      <ErrorBanner error={downloadError} />
      {listing.loading && !listing.data ? <Loading /> : null}
      {listing.data ? (
        <DataTable
          label="Artifacts"
          columns={columns}
          rows={files}
          rowKey={(f) => f.path}
          pageSize={100}
          empty={path ? 'This folder is empty.' : 'No artifacts logged.'}
        />
      ) : null}
    </div>
  );
}

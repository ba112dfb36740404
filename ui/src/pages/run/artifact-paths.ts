/** Paths for a run's artifacts (pure): where the proxy serves a file, and breadcrumbs for a folder. */

const SCHEME = 'mlflow-artifacts:';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The download URL path (for the SDK's http.download) of `relPath` under the run's artifact root, or null
 * when the root is not on this server's artifact proxy (a run logged elsewhere: s3://, file://).
 */
export function artifactDownloadPath(rootUri: string, relPath: string): string | null {
  if (!rootUri.startsWith(SCHEME)) return null;
  const root = rootUri.slice(SCHEME.length).replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = [...root.split('/'), ...relPath.split('/')].filter((s) => s !== '');
  if (parts.some((s) => s === '.' || s === '..')) return null;
  return `${PROXY}/${parts.map(encodeURIComponent).join('/')}`;
}

/** `a/b/c` → [{label:'artifacts', path:''}, {label:'a', path:'a'}, {label:'b', path:'a/b'}, {label:'c', path:'a/b/c'}]. */
export function breadcrumbs(path: string): { label: string; path: string }[] {
  const parts = path.split('/').filter((s) => s !== '');
  return [{ label: 'artifacts', path: '' }, ...parts.map((label, i) => ({ label, path: parts.slice(0, i + 1).join('/') }))];
}

/** The file name part of a path. */
export function baseName(path: string): string {
  const parts = path.split('/').filter((s) => s !== '');
  return parts[parts.length - 1] ?? path;
}

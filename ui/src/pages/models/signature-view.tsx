/** A model version's signature: inputs, outputs and feature names, with where it came from. */
import type { ModelVersion } from '../../../../src/sdk/index.js';
import { useApi } from '../../api.js';
import { type Column, DataTable } from '../../components/data-table.js';
import { ErrorBanner } from '../../components/error-banner.js';
import { Loading } from '../../components/loading.js';
import { href } from '../../router.js';
import { loadSignature } from './load-signature.js';
import type { ModelSignature, SignatureField } from './signature.js';

const COLUMNS: Column<SignatureField>[] = [
  { id: 'name', header: 'Name', sortValue: (f) => f.name, cell: (f) => <code>{f.name}</code> },
  { id: 'type', header: 'Type', sortValue: (f) => f.type, cell: (f) => f.type },
  { id: 'shape', header: 'Shape', cell: (f) => (f.shape === null ? <span className="muted">—</span> : <code>{f.shape}</code>) },
  { id: 'required', header: 'Required', cell: (f) => (f.required === undefined ? '' : f.required ? 'yes' : 'no') },
];

function sourceText(sig: ModelSignature) {
  if (sig.source === 'registration') return <>read from the .onnx file when it was registered</>;
  if (sig.source === 'mlmodel') return <>from the MLflow model&apos;s MLmodel file</>;
  return (
    <>
      as served by deployment {sig.servedBy ? <a href={href('/deployments/:name', { name: sig.servedBy })}>{sig.servedBy}</a> : null} (Open Inference Protocol
      metadata)
    </>
  );
}

export function SignatureView({ version }: { version: ModelVersion }) {
  const res = useApi((c) => loadSignature(c, version), [version.name, version.version]);
  if (!res.data) {
    return (
      <>
        <ErrorBanner error={res.error} onRetry={res.reload} />
        {res.loading ? <Loading label="Looking for the signature…" /> : null}
      </>
    );
  }
  const sig = res.data.signature;
  if (!sig) {
    return (
      <div className="muted" data-testid="no-signature">
        No signature recorded. Looked at: {res.data.looked.join('; ')}.
      </div>
    );
  }
  return (
    <div data-testid="signature">
      <p className="muted">Signature {sourceText(sig)}.</p>
      <div className="grid-2">
        <section>
          <h3>Inputs ({sig.inputs.length})</h3>
          <DataTable label="Signature inputs" columns={COLUMNS} rows={sig.inputs} rowKey={(f) => f.name} empty="No inputs." />
        </section>
        <section>
          <h3>Outputs ({sig.outputs.length})</h3>
          <DataTable label="Signature outputs" columns={COLUMNS} rows={sig.outputs} rowKey={(f) => f.name} empty="No outputs." />
        </section>
      </div>
      {sig.features.length > 0 ? (
        <>
          <h3>Features ({sig.features.length})</h3>
          <p className="muted">Columns of the input tensor, in order; records sent to a deployment name them.</p>
          <ol className="feature-list" aria-label="Features">
            {sig.features.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}

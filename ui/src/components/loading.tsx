/** A quiet "loading" line; `inline` for use inside text. */
export function Loading({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }) {
  const Tag = inline ? 'span' : 'div';
  return (
    <Tag className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </Tag>
  );
}

/** A tiny bar chart for a table cell. */
export function Sparkline({ counts, label, width = 90, height = 22 }: { counts: readonly number[]; label: string; width?: number; height?: number }) {
  const max = Math.max(0, ...counts);
  const w = counts.length > 0 ? width / counts.length : width;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {counts.map((c, i) => {
        const h = max > 0 ? Math.max(c > 0 ? 1 : 0, (c / max) * height) : 0;
        return <rect key={i} x={i * w + 0.5} y={height - h} width={Math.max(1, w - 1)} height={h} />;
      })}
    </svg>
  );
}

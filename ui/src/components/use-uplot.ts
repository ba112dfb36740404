/**
 * A uPlot chart in a box that follows the box's width: every chart of the UI draws through it, so the sizing,
 * the resize and the teardown are written once.
 */
import { type DependencyList, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChart {
  /** uPlot's options but the size, which the box gives. */
  opts: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
}

/**
 * Draws `build()` (null: nothing to draw) into the returned box's element, `height` pixels high and as wide as the
 * box (at least 200); drawn again when `deps` change, destroyed on unmount.
 */
export function useUPlot(build: () => UPlotChart | null, height: number, deps: DependencyList) {
  const box = useRef<HTMLDivElement>(null);
  const buildRef = useRef(build);
  buildRef.current = build;
  useEffect(() => {
    const el = box.current;
    const chart = el ? buildRef.current() : null;
    if (!el || !chart) return;
    const width = () => Math.max(200, el.clientWidth);
    const plot = new uPlot({ ...chart.opts, width: width(), height }, chart.data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // The caller's deps decide when to draw again (build is read through a ref).
  }, [height, ...deps]);
  return box;
}

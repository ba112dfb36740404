/** The readable form of stream bindings (`ferry deployments streams`). */
import type { StreamBinding } from '../sdk/index.js';
import { formatTable } from './table.js';

const count = (n: number | null) => (n === null ? '?' : n.toLocaleString('en-US'));

export function streamsTable(streams: readonly StreamBinding[]): string {
  return formatTable(
    [
      { header: 'BINDING', value: (s) => s.name, maxWidth: 63 },
      { header: 'KIND', value: (s) => s.kind },
      { header: 'INPUT → OUTPUT', value: (s) => `${s.input} → ${s.output}`, maxWidth: 80 },
      { header: 'GROUP', value: (s) => s.group, maxWidth: 60 },
      { header: 'STATE', value: (s) => (s.status.reason ? `${s.status.state}: ${s.status.reason}` : s.status.state), maxWidth: 80 },
      { header: 'LAG', value: (s) => count(s.status.lag), align: 'right' },
      { header: 'IN', value: (s) => count(s.status.messages_in), align: 'right' },
      { header: 'OUT', value: (s) => count(s.status.messages_out), align: 'right' },
      { header: 'DEAD', value: (s) => count(s.status.dead_lettered), align: 'right' },
    ],
    streams,
  );
}

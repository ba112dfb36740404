/** The overview's cluster panel, in words (pure): how fresh each heartbeat is, how long each lease still runs. */
import type { ClusterStatus } from '../../../../src/sdk/index.js';
import { formatDuration } from '../../format.js';

/** `1.2s ago`; `just now` for a heartbeat the browser's clock puts in the future. */
export function heartbeatAge(seenAt: number, now: number): string {
  return now > seenAt ? `${formatDuration(now - seenAt)} ago` : 'just now';
}

/** `in 8.0s`, or `expired` (the next tick on any replica takes the task over). */
export function leaseLeft(expiresAt: number, now: number): string {
  return expiresAt > now ? `in ${formatDuration(expiresAt - now)}` : 'expired';
}

/** `2 replicas (1 draining), heartbeat every 2.0s` */
export function clusterSummary(s: ClusterStatus): string {
  const n = s.replicas.length;
  const draining = s.replicas.filter((r) => r.state === 'draining').length;
  return `${n} replica${n === 1 ? '' : 's'}${draining ? ` (${draining} draining)` : ''}, heartbeat every ${formatDuration(s.heartbeat_ms)}`;
}

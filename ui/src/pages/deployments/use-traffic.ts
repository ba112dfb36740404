/**
 * Polls a deployment's traffic (GET /api/v1/deployments/{name}/traffic: its counters summed over every live
 * replica, so the charts show the whole cluster, not the one replica the load balancer picked): one request at a
 * time, the next one `intervalMs` after the last answer (never a loop of requests), none while the tab is hidden.
 * Keeps the last `max` points of rates.
 */
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../api.js';
import { appendPoint, comparable, ratesBetween, type TrafficPoint, type TrafficSnapshot, snapshotOf } from './traffic.js';

export const POLL_MS = 5000;
const MAX_POINTS = 120; // 10 minutes at 5 s

export interface Traffic {
  history: TrafficPoint[];
  latest: TrafficSnapshot | null;
  error: unknown;
  /** Readings taken so far (rates need two). */
  readings: number;
}

export function useTraffic(deployment: string, active: ReadonlySet<string>, intervalMs = POLL_MS): Traffic {
  const client = useClient();
  const [state, setState] = useState<Traffic>({ history: [], latest: null, error: undefined, readings: 0 });
  const activeRef = useRef(active);
  activeRef.current = active;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let prev: TrafficSnapshot | null = null;
    setState({ history: [], latest: null, error: undefined, readings: 0 });

    const schedule = () => {
      if (!stopped) timer = setTimeout(poll, intervalMs);
    };
    const poll = async () => {
      if (document.hidden) return schedule();
      try {
        const answer = await client.deployments.traffic(deployment);
        if (stopped) return;
        // The reader's clock, not the answer's: replicas behind a load balancer may disagree on the time.
        const snap = snapshotOf(answer.samples, Date.now(), answer.replicas);
        const point = prev && comparable(prev, snap) ? ratesBetween(prev, snap, activeRef.current) : null;
        prev = snap;
        setState((s) => ({ history: point ? appendPoint(s.history, point, MAX_POINTS) : s.history, latest: snap, error: undefined, readings: s.readings + 1 }));
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error }));
      }
      schedule();
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, deployment, intervalMs]);

  return state;
}

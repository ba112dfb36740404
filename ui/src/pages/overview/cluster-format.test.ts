import { describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../../../src/sdk/index.js';
import { clusterSummary, heartbeatAge, leaseLeft } from './cluster-format.js';

const replica = (id: string, state: 'serving' | 'draining') => ({
  id,
  host: 'h',
  pid: 1,
  url: null,
  version: '0.1.0',
  state,
  started_at: 1,
  seen_at: 2,
  self: false,
});

describe('the cluster panel', () => {
  it('says how fresh a heartbeat is and how long a lease still runs', () => {
    expect(heartbeatAge(10_000, 11_500)).toBe('1.5s ago');
    expect(heartbeatAge(10_000, 9_000)).toBe('just now');
    expect(leaseLeft(20_000, 12_000)).toBe('in 8.0s');
    expect(leaseLeft(20_000, 20_000)).toBe('expired');
  });

  it('sums the cluster up in a line', () => {
    const s: ClusterStatus = { replica: 'a', heartbeat_ms: 2000, replicas: [replica('a', 'serving')], leases: [] };
    expect(clusterSummary(s)).toBe('1 replica, heartbeat every 2.0s');
    expect(clusterSummary({ ...s, replicas: [replica('a', 'serving'), replica('b', 'draining')] })).toBe('2 replicas (1 draining), heartbeat every 2.0s');
  });
});

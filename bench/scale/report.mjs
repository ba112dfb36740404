// Printing the scale benchmark's figures: medians over rounds, the ratios to one replica (and per round), the CPU
// per request by process, the artifact throughputs and their ratios, and the smoke checks.
import { fmt, median } from './util.mjs';

const pad = (s, n) => String(s).padStart(n);
const fin = (...xs) => xs.every((x) => Number.isFinite(x));
const med = (rows, pick) => median(rows.map(pick));
const int = (x) => fmt(x, 0);

export function printCluster(points, a, cluster, smoke) {
  const pin = points[0]?.pinned ? `the load generator pinned to CPU ${a.clientCpu} (taskset)` : 'the load generator not pinned';
  console.log(
    `\n=== Part 1: replicas behind haproxy on one PostgreSQL — ${a.concurrency} requests in flight, ${a.warmup} s warm-up + ${a.duration} s per point, ` +
      `${a.rounds} round(s), pool sizes alternated; medians over rounds ===`,
  );
  console.log(`${pin}; ${a.inferenceWorkers} inference worker(s) per replica; every replica runs throughout, a pool is the first k behind their own haproxy`);
  if (smoke)
    for (const l of cluster.labels) smoke.check(l.label === l.want, `${l.replica}: predicted label ${l.label} for the recorded row, expected ${l.want}`);
  const summary = {};
  for (const workload of a.workloads) {
    const what = workload === 'predict' ? 'predictions (records, 1 row)' : `log_batch (${a.metrics} metrics)`;
    console.log(`\n${what}`);
    console.log(
      `  ${'replicas'.padEnd(9)}${pad('req/s', 8)}${pad('× 1', 6)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}` +
        `${pad('CPU µs/req: replicas', 21)}${pad('× 1', 6)}${pad('postgres', 9)}${pad('haproxy', 8)}${pad('client', 7)}${pad('total', 7)}` +
        `${workload === 'predict' ? pad('rows/call', 10) : ''}   req/s × 1 per round; answered by`,
    );
    const rows = points.filter((p) => p.workload === workload);
    const base = rows.filter((p) => p.replicas === a.replicas[0]);
    const baseRps = med(base, (p) => p.rps);
    const baseCpu = med(base, (p) => p.cpuUs.replicas);
    summary[workload] = [];
    for (const k of a.replicas) {
      const ks = rows.filter((p) => p.replicas === k);
      const rps = med(ks, (p) => p.rps);
      const cpu = med(ks, (p) => p.cpuUs.replicas);
      const total = med(ks, (p) => p.cpuUs.replicas + p.cpuUs.postgres + p.cpuUs.haproxy + p.cpuUs.client);
      // Each round's own ratio: k and the first size ran back to back in that round.
      const perRound = ks.map((p) => p.rps / (base.find((b) => b.round === p.round)?.rps ?? NaN));
      const served = {};
      for (const p of ks) for (const [n, c] of Object.entries(p.servedBy)) served[n] = (served[n] ?? 0) + c;
      const share = Object.entries(served)
        .sort()
        .map(([n, c]) => `${n} ${Math.round((100 * c) / Object.values(served).reduce((s, x) => s + x, 0))}%`)
        .join(' ');
      const row = {
        replicas: k,
        rps,
        rpsRatio: rps / baseRps,
        p50: med(ks, (p) => p.p50),
        p99: med(ks, (p) => p.p99),
        cpuUs: cpu,
        cpuRatio: cpu / baseCpu,
        totalCpuUs: total,
      };
      row.postgresUs = med(ks, (p) => p.cpuUs.postgres);
      row.haproxyUs = med(ks, (p) => p.cpuUs.haproxy);
      row.clientUs = med(ks, (p) => p.cpuUs.client);
      row.perRound = perRound;
      row.rowsPerRun = med(ks, (p) => p.rowsPerRun);
      summary[workload].push(row);
      console.log(
        `  ${String(k).padEnd(9)}${pad(int(rps), 8)}${pad(fmt(row.rpsRatio, 2), 6)}${pad(fmt(row.p50, 1), 8)}${pad(fmt(row.p99, 1), 8)}` +
          `${pad(int(cpu), 21)}${pad(fmt(row.cpuRatio, 2), 6)}${pad(int(row.postgresUs), 9)}${pad(int(row.haproxyUs), 8)}${pad(int(row.clientUs), 7)}${pad(int(total), 7)}` +
          `${workload === 'predict' ? pad(fmt(row.rowsPerRun, 1), 10) : ''}` +
          `   ${perRound.map((x) => fmt(x, 2)).join(', ')}; ${share}`,
      );
      if (smoke)
        for (const p of ks) {
          const at = `${workload}, ${k} replica(s), round ${p.round + 1}`;
          smoke.check(p.requests > 0 && p.errors === 0, `${at}: ${p.requests} answered, ${p.errors} errors ${p.firstError}`);
          const names = cluster.replicas.slice(0, k).map((r) => r.name);
          smoke.check(
            names.every((n) => (p.servedBy[n] ?? 0) > 0),
            `${at}: not every replica of the pool answered (${JSON.stringify(p.servedBy)})`,
          );
          smoke.check(
            fin(p.rps, p.p50, p.p99, p.cpuUs.replicas, p.cpuUs.postgres, p.cpuUs.haproxy, p.cpuUs.client) && p.cpuUs.replicas > 0,
            `${at}: a figure is not finite`,
          );
        }
    }
    const idle = med(rows, (p) => p.idleCpuPerS);
    if (Number.isFinite(idle) && idle > 0) console.log(`  (replicas outside the pool, idle: ${fmt(idle * 100, 1)}% of a core together, not counted above)`);
  }
  console.log(
    `\n× 1: the ratio to ${a.replicas[0]} replica(s), of medians; CPU µs/req: CPU time of those processes in the window ÷ requests answered; ` +
      'rows/call: rows per model call over the pool (the batcher)',
  );
  return summary;
}

export function printArtifacts(rows, a, noS3, smoke) {
  console.log(
    `\n=== Part 2: artifact throughput, upload (PUT) then download (GET) one file at a time, ${a.artifactRounds} round(s), sides rotated; medians over rounds ===`,
  );
  if (noS3) console.log(`S3 sides left out: ${noS3}`);
  console.log(
    `  ${'size'.padEnd(16)}${'side'.padEnd(26)}${pad('up MiB/s', 9)}${pad('down MiB/s', 11)}${pad('÷ raw S3 up/down', 18)}${pad('Ferry CPU s/GiB up/down', 25)}`,
  );
  const summary = [];
  for (const mib of a.sizes) {
    const bySide = new Map();
    for (const r of rows.filter((x) => x.mib === mib)) bySide.set(r.side, [...(bySide.get(r.side) ?? []), r]);
    const raw = bySide.get('S3 directly (@aws-sdk)');
    const rawUp = raw ? med(raw, (r) => r.upMiBs) : NaN;
    const rawDown = raw ? med(raw, (r) => r.downMiBs) : NaN;
    for (const [side, rs] of bySide) {
      const up = med(rs, (r) => r.upMiBs);
      const down = med(rs, (r) => r.downMiBs);
      const cpuUp = med(rs, (r) => r.upCpuPerGiB);
      const cpuDown = med(rs, (r) => r.downCpuPerGiB);
      summary.push({ mib, side, up, down, upVsRaw: up / rawUp, downVsRaw: down / rawDown, cpuUp, cpuDown, files: rs[0].files });
      const vs = raw && side !== 'S3 directly (@aws-sdk)' ? `${fmt(up / rawUp, 2)} / ${fmt(down / rawDown, 2)}` : '';
      const cpu = Number.isFinite(cpuUp) ? `${fmt(cpuUp, 2)} / ${fmt(cpuDown, 2)}` : '';
      console.log(`  ${`${mib} MiB × ${rs[0].files}`.padEnd(16)}${side.padEnd(26)}${pad(int(up), 9)}${pad(int(down), 11)}${pad(vs, 18)}${pad(cpu, 25)}`);
      if (smoke)
        for (const r of rs) {
          const at = `${side}, ${mib} MiB, round ${r.round + 1}`;
          smoke.check(r.readOk, `${at}: a download's size differs from the upload's`);
          smoke.check(r.hashOk !== false, `${at}: a download's bytes differ from the upload's`);
          smoke.check(fin(r.upMiBs, r.downMiBs), `${at}: a figure is not finite`);
        }
    }
    const local = summary.find((s) => s.mib === mib && s.side === 'Ferry, local folder');
    const s3 = summary.find((s) => s.mib === mib && s.side === 'Ferry, S3');
    if (local && s3) console.log(`  ${''.padEnd(16)}Ferry S3 ÷ Ferry local: up ${fmt(s3.up / local.up, 2)}, down ${fmt(s3.down / local.down, 2)}`);
  }
  console.log(
    "(÷ raw S3: the side over the same bytes PUT/GET on the same bucket with @aws-sdk from one Buffer, Ferry's part size and queue; " +
      "'streamed': the same from 64 KiB chunks, as Ferry receives an upload; MiB = 2^20 bytes)",
  );
  return summary;
}

// Printing the A/B benchmark: the agreement of Ferry's report with pandas + gbstats, medians over rounds, the
// ratios, the targets (from issue 16), and the smoke checks.
import { fmt, median } from '../jobs/stats.mjs';

const MB = 1024 * 1024;
const FIELDS = ['estimate', 'lower', 'upper', 'stderr', 'p_value'];
/** Agreement: |Ferry − gbstats| ≤ 1e-6 · max(1, |gbstats|) (absolute below 1, relative above). */
export const TOLERANCE = 1e-6;

/**
 * Ferry's report against the peer's results, metric by metric: units per arm, and per treatment arm both effects
 * (absolute, relative): estimate, CI, stderr, p-value. Answers { compared, worst, mismatches }.
 */
export function agreement(ferry, peer) {
  const mismatches = [];
  let compared = 0;
  let worst = 0;
  for (const pm of peer.metrics) {
    const fm = ferry.metrics.find((m) => m.metric === pm.metric);
    if (!fm) {
      mismatches.push(`${pm.metric}: not in Ferry's report`);
      continue;
    }
    for (const arm of fm.arms) {
      compared++;
      if (pm.arms[arm.arm]?.units !== arm.units) mismatches.push(`${pm.metric} ${arm.arm}: ${arm.units} units in Ferry, ${pm.arms[arm.arm]?.units} in pandas`);
    }
    for (const pc of pm.comparisons) {
      const fc = fm.comparisons.find((c) => c.arm === pc.arm);
      for (const kind of ['absolute', 'relative']) {
        const want = pc[kind];
        const got = fc?.[kind];
        if (!got || want.error) {
          mismatches.push(`${pm.metric} ${pc.arm} ${kind}: Ferry ${JSON.stringify(got ?? null)}, gbstats ${JSON.stringify(want)}`);
          continue;
        }
        for (const f of FIELDS) {
          compared++;
          const dev = Math.abs(got[f] - want[f]) / Math.max(1, Math.abs(want[f]));
          if (!(dev <= TOLERANCE)) mismatches.push(`${pm.metric} ${pc.arm} ${kind}.${f}: Ferry ${got[f]}, gbstats ${want[f]}`);
          else worst = Math.max(worst, dev);
        }
      }
    }
  }
  return { compared, worst, mismatches };
}

const mb = (b) => (Number.isFinite(b) ? `${fmt(b / MB, 0)} MB` : '-');
const s = (x) => `${fmt(x, 2)} s`;

export function printResults(fig, a, smoke) {
  const { load, rounds } = fig;
  console.log(
    `\n=== A/B report: ${a.units.toLocaleString('en-US')} units, ${a.events.toLocaleString('en-US')} outcome events, SQLite; ${a.rounds} round(s), sides alternated; medians over rounds ===`,
  );
  if (load.reused) console.log(`data: reused from ${a.data} (generated earlier with the same sizes and seed)`);
  else
    console.log(
      `load (not timed in the report): generate ${s(load.genS)}, units ${s(load.unitsS)}, events ${s(load.eventsS)} ` +
        `(${fmt(a.events / load.eventsS, 0)} events/s written by AbTestAggregator with the aggregates, 5,000 per transaction); Parquet export for pandas ${s(load.exportS)}`,
    );
  const ferry = rounds.filter((r) => r.side === 'ferry');
  const peer = rounds.filter((r) => r.side === 'peer');
  const ft = median(ferry.map((r) => r.seconds));
  const pt = median(peer.map((r) => r.seconds));
  const fm = median(ferry.map((r) => r.maxRssBytes));
  const pm = median(peer.map((r) => r.maxRssBytes));
  console.log(`\n  ${'side'.padEnd(44)}${'time to report'.padStart(16)}${'peak RSS'.padStart(12)}   per round (s)`);
  console.log(
    `  ${'Ferry (GET …/report on a ferry server)'.padEnd(44)}${s(ft).padStart(16)}${mb(fm).padStart(12)}   ${ferry.map((r) => fmt(r.seconds, 2)).join(', ')}` +
      `   (server after start-up: ${mb(median(ferry.map((r) => r.startupRssBytes)))})`,
  );
  console.log(
    `  ${'pandas + gbstats (Parquet → report)'.padEnd(44)}${s(pt).padStart(16)}${mb(pm).padStart(12)}   ${peer.map((r) => fmt(r.seconds, 2)).join(', ')}` +
      `   (read ${s(median(peer.map((r) => r.readS)))}, compute ${s(median(peer.map((r) => r.computeS)))}; imports ${s(median(peer.map((r) => r.importS)))} not counted)`,
  );
  const speed = pt / ft;
  const mem = pm / fm;
  console.log(
    `\n  Ferry ${speed >= 1 ? `${fmt(speed, 2)}× faster` : `${fmt(1 / speed, 2)}× slower`}, memory ${mem >= 1 ? `1/${fmt(mem, 2)}` : `${fmt(1 / mem, 2)}×`} of pandas + gbstats`,
  );

  const ag = fig.agreement;
  console.log(
    `  check: Ferry's report = gbstats on pandas: ${ag.compared - ag.mismatches.length} of ${ag.compared} figures agree within ${TOLERANCE} ` +
      `(worst ${ag.worst.toExponential(1)}; units per arm, absolute and relative effect, CI, stderr, p-value)`,
  );
  for (const m of ag.mismatches.slice(0, 10)) console.log(`    differs: ${m}`);
  for (const m of fig.sample) console.log(`    ${m}`);

  console.log('\n=== targets (issue 16) ===');
  console.log(`[${speed >= 10 ? 'MET' : 'MISSED'}] ≥ 10× faster than pandas + gbstats: ${fmt(speed, 2)}×`);
  console.log(`[${mem >= 5 ? 'MET' : 'MISSED'}] peak memory ≤ 1/5 of pandas + gbstats: 1/${fmt(mem, 2)} (${mb(fm)} vs ${mb(pm)})`);

  if (smoke) {
    smoke.check(ag.mismatches.length === 0 && ag.compared > 0, `agreement: ${ag.mismatches.length} of ${ag.compared} figures differ`);
    for (const r of rounds)
      smoke.check(
        [r.seconds, r.maxRssBytes].every(Number.isFinite) && r.seconds > 0 && r.maxRssBytes > 0,
        `${r.side} round ${r.round + 1}: a figure is not finite`,
      );
    smoke.check([speed, mem].every(Number.isFinite), 'a ratio is not finite');
  }
  return { speed, mem, ferrySeconds: ft, peerSeconds: pt, ferryRss: fm, peerRss: pm };
}

// CPU cost of prediction logging per request, without HTTP or load: what the server's event loop spends
// (building the PredictionEvent as serving does, the log's bookkeeping, packing the batch and handing it to
// the monitoring thread) and what the monitoring thread spends (unpacking, PII, window profiles, the SQLite
// insert of the stored rows, the periodic profile writes), measured apart, in CPU time, so that a busy shared
// machine moves the figures less than it moves req/s.
//
//   node bench/serving/log-cpu.mjs [--root DIR[,DIR2]] [--rows 1,128] [--events N] [--rounds R] [--per-flush N] [--journal] [--per-tick N]
//
// --journal: the log writes each stored request to a prediction journal (a temporary folder) before it is
// answered, as the server does with a data dir; compare a run with it and one without. --per-tick N: requests answered
// in one event-loop tick (a batch's requests resolve together; the journal writes a tick's events at once); default 1.
//
// Each (build, side, rows) point runs in a fresh process (its own heap and GC); points of several builds
// alternate, round after round, and the median per round is printed — compare builds within one run
// (--root: checkouts with a built dist/, e.g. --root /tmp/ferry-a,. ; a git worktree of another revision will do).
// Ferry is loaded through each checkout's own package entry points (its package.json "exports"), never paths inside
// dist/. Requests are the credit model's: 7 inputs (5 float32, 2 strings), a label (int64) and two probabilities
// (float32), values cycling through the 20 recorded rows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, fixture } from './common.mjs';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]?.startsWith('--') || all[i + 1] === undefined ? '1' : all[i + 1]]] : acc),
      [],
    ),
);

if (args.child) await child(JSON.parse(args.child));
else await parent();

async function parent() {
  if (args.help) {
    console.log('Usage: node bench/serving/log-cpu.mjs [--root DIR[,DIR2]] [--rows 1,128] [--events N] [--rounds R] [--side main|thread|both] [--json]');
    return;
  }
  const roots = (args.root ?? '.').split(',').map((d) => resolve(REPO, d));
  const rowsList = (args.rows ?? '1,128').split(',').map(Number);
  const rounds = Number(args.rounds ?? 3);
  const sides = args.side && args.side !== 'both' ? [args.side] : ['main', 'thread'];
  // The event loop's cost is what it spends with monitoring on less what it spends with it off.
  const runs = sides.includes('main') ? [...sides, 'off'] : sides;
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const rows of rowsList) {
      const events = Number(args.events ?? (rows === 1 ? 100_000 : 5_000));
      for (const side of runs) {
        for (const root of roots) {
          const out = execFileSync(
            process.execPath,
            [
              '--expose-gc',
              new URL(import.meta.url).pathname,
              '--child',
              JSON.stringify({
                root,
                side,
                rows,
                events,
                ...(args['per-flush'] ? { perFlush: Number(args['per-flush']) } : {}),
                ...(args.journal ? { journal: true } : {}),
                perTick: Number(args['per-tick'] ?? 1),
              }),
            ],
            { encoding: 'utf8' },
          );
          const r = JSON.parse(out.trim().split('\n').pop());
          ((results[`${rows}\0${side}`] ??= {})[root] ??= []).push(r);
        }
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(`CPU µs per request, median of ${rounds} rounds (per row; of which the SQLite insert). Event loop: monitoring on less off.`);
  console.log(['rows', 'side'.padEnd(18), ...roots.map((d) => (d === REPO ? '.' : d.replace(REPO + '/', '')).padEnd(28))].join('  '));
  const figures = [];
  for (const rows of rowsList) {
    for (const side of sides) {
      const per = results[`${rows}\0${side}`];
      const off = results[`${rows}\0off`];
      const cell = (d) => {
        const us = side === 'main' ? median(per[d].map((r, i) => r.us - off[d][i].us)) : median(per[d].map((r) => r.us));
        const sqlUs = side === 'thread' ? median(per[d].map((r) => r.sqliteUs)) : null;
        figures.push({ root: d, rows, side, us, sql_us: sqlUs });
        return `${us.toFixed(1)} (${(us / rows).toFixed(2)}/row${sqlUs === null ? '' : `; sql ${sqlUs.toFixed(1)}`})`.padEnd(28);
      };
      console.log([String(rows).padEnd(4), (side === 'main' ? 'event loop' : 'monitoring thread').padEnd(18), ...roots.map(cell)].join('  '));
    }
  }
  // --json: the figures as one last line, for scripts (the serving smoke run reads it).
  if (args.json) console.log(JSON.stringify({ figures }));
}

/** A seeded generator (mulberry32): the same requests every run. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Tensors of one request of `rows` rows, as serving holds them (feeds per input column, model outputs). The
 * recorded rows give the shape (which values are missing, the categories); numbers are jittered and the
 * probabilities drawn, so that values do not repeat as they would when cycling through 20 rows.
 */
function request(rows, start, fx, rand) {
  const feeds = {};
  for (const [name, type] of Object.entries(fx.types)) {
    const rec = (r) => fx.records[(start + r) % fx.records.length][name];
    if (type === 'string') feeds[name] = { type: 'string', dims: [rows, 1], data: Array.from({ length: rows }, (_, r) => rec(r) ?? '') };
    else {
      const jitter = (v) => (v == null ? NaN : Number.isInteger(v) ? v + Math.floor(rand() * 10) : Math.round(v * (900 + 200 * rand())) / 1000);
      feeds[name] = { type: 'float32', dims: [rows, 1], data: Float32Array.from({ length: rows }, (_, r) => jitter(rec(r))) };
    }
  }
  const label = new BigInt64Array(rows);
  const probs = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const p = rand();
    label[r] = p > 0.5 ? 1n : 0n;
    probs[2 * r] = 1 - p;
    probs[2 * r + 1] = p;
  }
  return { feeds, outputs: { label: { type: 'int64', dims: [rows], data: label }, probabilities: { type: 'float32', dims: [rows, 2], data: probs } } };
}

/** `ferry/<entry>` as the checkout at `root` exports it (Node's own resolution of a package's name inside it). */
function entry(root, name) {
  const require = createRequire(join(root, 'package.json'));
  return import(pathToFileURL(require.resolve(`ferry/${name}`)).href);
}

async function child({ root, side, rows, events, perFlush: perFlushArg, journal: withJournal, perTick = 1 }) {
  const { featureFlat, outputFlat, requestId } = await entry(root, 'serving');
  const { PredictionLog, DEFAULT_LOG_OPTIONS, DEFAULT_SETTINGS, BufferPool, MonitoringState, processBatch } = await entry(root, 'prediction-log');
  const fx = fixture();
  const sig = {
    layout: 'per-column',
    inputs: Object.entries(fx.types).map(([name, type]) => ({ name, type, shape: [null, 1] })),
    outputs: [
      { name: 'label', type: 'int64', shape: [null] },
      { name: 'probabilities', type: 'float32', shape: [null, 2] },
    ],
    skippedOutputs: [],
    features: Object.keys(fx.types),
  };
  const rand = rng(42);
  const distinct = Math.ceil(20_000 / rows);
  const reqs = Array.from({ length: distinct }, (_, i) => request(rows, i, fx, rand));
  // Each request's tensors are its own (copied from a template, as a request decodes its body): what the log
  // keeps alive until it has read them is part of its cost (objects that survive a collection are copied).
  const copy = (ts) => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, { type: t.type, dims: t.dims, data: t.data.slice() }]));
  // What DeploymentRuntime.emit builds per request.
  const event = (i) => {
    const t = reqs[i % distinct];
    const q = { feeds: copy(t.feeds), outputs: copy(t.outputs) };
    return {
      deployment: 'credit',
      revision: 1,
      model: 'credit',
      modelVersion: '1',
      route: 'main',
      requestId: requestId(),
      ts: Date.now(),
      latencyUs: 800 + (i % 50),
      status: 'ok',
      rows,
      inputFlat: () => featureFlat(sig, q.feeds, rows),
      outputFlat: () => outputFlat(q.outputs, rows),
    };
  };
  // A flush every flushRows rows, flushRequests requests (builds that have it) or 100 ms, whichever first: at
  // c=64 (~25,000 one-row requests a second) a count comes first. --per-flush sets another batch size in requests.
  const byRows = Math.max(1, Math.ceil(DEFAULT_LOG_OPTIONS.flushRows / rows));
  const perFlush = perFlushArg ?? Math.min(byRows, DEFAULT_LOG_OPTIONS.flushRequests ?? byRows);
  const settings = { credit: DEFAULT_SETTINGS };
  const batches = [];
  // The log packs events as they arrive and hands the sink a packed batch; its buffers come back to the pool.
  const pool = new BufferPool();
  const buffersOf = (b) => [...new Set([b.nums.buffer, b.tags.buffer, b.heads?.buffer].filter((x) => x))];
  const giveBack = (msg) => buffersOf(msg).forEach((b) => pool.give(b));
  let pending = 0;
  const sink = {
    buffers: pool,
    async process(b) {
      // What postMessage does with the message (the typed arrays are transferred).
      const msg = structuredClone({ kind: 'batch', settings, ...b }, { transfer: buffersOf(b) });
      // The event loop's side only: the thread hands the buffers back at once.
      if (keeping) batches.push({ msg, events: pending });
      else giveBack(msg);
      pending = 0;
    },
    sync: async () => {},
    close: async () => {},
  };
  // 'off': the same requests with monitoring off (what the event loop spends anyway; subtracted from 'main').
  const state = { settingsFor: () => (side === 'off' ? { ...DEFAULT_SETTINGS, enabled: false } : DEFAULT_SETTINGS) };
  const journalDir = withJournal ? mkdtempSync(join(tmpdir(), 'ferry-log-cpu-journal-')) : null;
  const { PredictionJournal } = withJournal ? await entry(root, 'prediction-log') : {};
  const journal = journalDir ? new PredictionJournal(journalDir) : null;
  process.on('exit', () => journalDir && rmSync(journalDir, { recursive: true, force: true }));
  const log = new PredictionLog(state, sink, undefined, { ...DEFAULT_LOG_OPTIONS, flushRows: Infinity, flushRequests: Infinity }, journal);
  let keeping = false;
  const produce = async (n, keep) => {
    keeping = keep;
    for (let i = 0; i < n; i++) {
      log.prediction(event(i));
      pending++;
      // As serving does before answering: the journal's write of the tick's events (one per `perTick` requests).
      if ((i + 1) % perTick === 0) {
        const written = log.durable?.();
        if (written) await written;
      }
      if ((i + 1) % perFlush === 0) await log.flush();
    }
    await log.flush();
  };

  if (side === 'main' || side === 'off') {
    await produce(Math.min(events, 5_000), false); // warm-up
    globalThis.gc();
    const c0 = process.cpuUsage();
    await produce(events, false);
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ us: (c.user + c.system) / events }));
    return;
  }

  const { openStore } = await entry(root, 'store');
  const dir = mkdtempSync(join(tmpdir(), 'ferry-log-cpu-'));
  try {
    const store = await openStore(`sqlite:${join(dir, 'ferry.db')}`);
    const mstate = new MonitoringState(store, 'bench');
    await mstate.load();
    const writer = store.predictionWriter({ sameThread: true });
    let sqliteUs = 0;
    const write = async (r) => {
      const c0 = process.cpuUsage();
      await writer.insert(r);
      const c = process.cpuUsage(c0);
      sqliteUs += c.user + c.system;
    };
    const consume = async () => {
      let since = 0;
      for (const { msg, events: n } of batches.splice(0)) {
        for (const [d, s] of Object.entries(msg.settings)) mstate.setSettings(d, s);
        // What the monitoring thread runs on each batch message.
        await processBatch(
          msg,
          mstate,
          write,
          () => {},
          (err) => {
            throw err;
          },
        );
        giveBack(msg);
        // The thread writes its profiles every 5 s: every ~10,000 requests at these rates.
        if ((since += n) >= 10_000) {
          since = 0;
          await mstate.persist();
        }
      }
      await mstate.persist();
    };
    await produce(Math.min(events, 5_000), true);
    await consume(); // warm-up
    await produce(events, true);
    globalThis.gc();
    sqliteUs = 0;
    const c0 = process.cpuUsage();
    await consume();
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ us: (c.user + c.system) / events, sqliteUs: sqliteUs / events }));
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Part 2: artifact upload and download throughput through Ferry's own mlflow-artifacts routes, a server on a local
// folder vs a server on S3 (versitygw, built by scripts/s3-test-server.sh), and the peer: the same bytes PUT and GET
// on the same bucket with @aws-sdk straight from the benchmark (lib-storage's Upload with Ferry's part size and queue,
// so the S3 requests are the ones Ferry makes), from one Buffer and from a stream of chunks: what Ferry adds over S3.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { cpuSeconds } from './cpu.mjs';
import { startFerry } from './replica.mjs';
import { freePort, log, sleep, stopperOf } from './util.mjs';

// As Ferry's own client does (src/artifacts/s3-client.ts): the SDK's notice about Node 22 is not this benchmark's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MIB = 1024 * 1024;
/** Ferry's S3ArtifactStore defaults (src/artifacts/s3-artifact-store.ts): 8 MiB parts, 2 in flight. */
const PART_SIZE = 8 * MIB;
const QUEUE_SIZE = 2;

export const VERSITYGW_BIN = join(process.env.FERRY_TOOLS_DIR ?? join(homedir(), '.cache', 'ferry-tools'), 'versitygw-v1.8.0', 'bin', 'versitygw');

/** Why the S3 sides cannot run here, or null. */
export function whyNoS3() {
  if (!existsSync(VERSITYGW_BIN)) return `no S3 test server at ${VERSITYGW_BIN} (build it: scripts/s3-test-server.sh build)`;
  const help = spawnSync(process.execPath, ['bin/ferry.js', 'server', '--help'], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' });
  if (!/--artifacts <location>/.test(help.stdout)) return "this build's `ferry server` has no --artifacts flag (rebuild: BENCH_BUILD=1)";
  return null;
}

const canConnect = (port) =>
  new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });

/** versitygw serving a folder of `tmp` on a free port, with one bucket. */
async function startS3(tmp, bucket) {
  const root = join(tmp, 's3-root');
  mkdirSync(root, { recursive: true });
  const accessKey = `ferrybench${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(20).toString('hex');
  const region = 'us-east-1';
  const port = await freePort();
  const child = spawn(VERSITYGW_BIN, ['--access', accessKey, '--secret', secretKey, '--port', `127.0.0.1:${port}`, 'posix', root], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const { stop, exited: hasExited } = stopperOf(child);
  for (let i = 0; !(await canConnect(port)); i++) {
    if (hasExited() || i > 300) {
      await stop();
      throw new Error(`versitygw did not start:\n${out}`);
    }
    await sleep(100);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    // As Ferry's client (src/artifacts/s3-client.ts): no checksums computed over the body.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    pid: child.pid,
    client,
    location: (prefix) => `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=${region}`,
    env: { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey, AWS_REGION: region },
    stop: async () => {
      client.destroy();
      await stop();
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One HTTP exchange on the keep-alive agent; `sink` gets the answer's chunks. Resolves with the status. */
function exchange(url, method, token, body, sink) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}` };
    if (body) Object.assign(headers, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    const req = request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.on('data', (c) => (res.statusCode === 200 && sink ? sink(c) : (text += c)));
      res.on('end', () => (res.statusCode === 200 ? resolve(200) : reject(new Error(`${method} ${url} -> ${res.statusCode}: ${text.slice(0, 300)}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A side: put(key, bytes), get(key, sink) → bytes read, del(key); `pid` is whose CPU to read (Ferry's; none for raw). */
function ferrySide(name, srv, token) {
  const url = (key) => `${srv.url}/api/2.0/mlflow-artifacts/artifacts/bench/${key}`;
  return {
    name,
    pid: srv.pid,
    put: (key, bytes) => exchange(url(key), 'PUT', token, bytes),
    get: (key, sink) => exchange(url(key), 'GET', token, undefined, sink),
    del: (key) => exchange(url(key), 'DELETE', token),
  };
}

/**
 * The peer: @aws-sdk from the benchmark's process. `streamed`: the body as a stream of 64 KiB chunks, as Ferry gets
 * an upload from its client (lib-storage then copies the chunks into parts), instead of one Buffer it can slice.
 */
function rawSide(s3, bucket, streamed) {
  const Key = (key) => `raw/${key}`;
  const body = (bytes) => (streamed ? Readable.from(chunks(bytes)) : bytes);
  return {
    name: streamed ? 'S3 directly, streamed' : 'S3 directly (@aws-sdk)',
    pid: null,
    put: (key, bytes) =>
      new Upload({ client: s3.client, params: { Bucket: bucket, Key: Key(key), Body: body(bytes) }, partSize: PART_SIZE, queueSize: QUEUE_SIZE }).done(),
    get: async (key, sink) => {
      const r = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: Key(key) }));
      for await (const c of r.Body) sink(c);
    },
    del: (key) => s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: Key(key) })),
  };
}

function* chunks(bytes, size = 64 * 1024) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** `files` uploads of `bytes` one after the other, then their downloads; MiB/s of each, and Ferry's CPU. */
async function measure(side, bytes, files, digest) {
  const keys = Array.from({ length: files }, () => `${randomBytes(8).toString('hex')}/file.bin`);
  const cpu0 = side.pid ? cpuSeconds(side.pid) : NaN;
  let t = performance.now();
  for (const k of keys) await side.put(k, bytes);
  const upS = (performance.now() - t) / 1000;
  const cpu1 = side.pid ? cpuSeconds(side.pid) : NaN;
  let read = 0;
  let hash = null;
  t = performance.now();
  for (const [i, k] of keys.entries()) {
    // The first download of a round is hashed too, when checking (smoke): outside nothing, so it costs its time.
    const h = digest && i === 0 ? createHash('sha256') : null;
    await side.get(k, (c) => {
      read += c.length;
      h?.update(c);
    });
    if (h) hash = h.digest('hex');
  }
  const downS = (performance.now() - t) / 1000;
  const cpu2 = side.pid ? cpuSeconds(side.pid) : NaN;
  for (const k of keys) await side.del(k);
  const mib = (bytes.length * files) / MIB;
  return {
    upMiBs: mib / upS,
    downMiBs: mib / downS,
    readOk: read === bytes.length * files,
    hashOk: digest ? hash === digest : null,
    // Ferry's CPU seconds per GiB moved.
    upCpuPerGiB: ((cpu1 - cpu0) * 1024) / mib,
    downCpuPerGiB: ((cpu2 - cpu1) * 1024) / mib,
  };
}

/** Starts versitygw and the two Ferry servers; runs the rounds; stops everything. */
export async function artifactRounds(a, tmp, noS3) {
  const token = `ferry-bench-${randomBytes(12).toString('hex')}`;
  const secretKey = randomBytes(32).toString('hex');
  const bucket = 'ferry-bench';
  const stops = [];
  const out = [];
  try {
    const local = await startFerry({
      name: 'ferry-local',
      port: await freePort(),
      dir: join(tmp, 'art-local'),
      token,
      secretKey,
      args: ['--artifacts-dir', join(tmp, 'art-local', 'artifacts')],
    });
    stops.push(local.stop);
    const sides = [ferrySide('Ferry, local folder', local, token)];
    if (!noS3) {
      log('starting versitygw and a Ferry server on S3');
      const s3 = await startS3(tmp, bucket);
      stops.push(s3.stop);
      const onS3 = await startFerry({
        name: 'ferry-s3',
        port: await freePort(),
        dir: join(tmp, 'art-s3'),
        token,
        secretKey,
        args: ['--artifacts', s3.location('ferry')],
        env: s3.env,
      });
      stops.push(onS3.stop);
      sides.push(ferrySide('Ferry, S3', onS3, token), rawSide(s3, bucket, false), rawSide(s3, bucket, true));
    }
    for (const mib of a.sizes) {
      const bytes = randomBytes(Math.round(mib * MIB));
      const digest = a.smoke ? createHash('sha256').update(bytes).digest('hex') : null;
      // Small files: several per round, so that a round is not one request's noise; big ones: one.
      const files = mib < 16 ? a.files : 1;
      for (let round = 0; round < a.artifactRounds; round++) {
        // The sides rotate, so that none is always first (or last) on a drifting machine.
        const order = sides.map((_, i) => sides[(i + round) % sides.length]);
        for (const side of order) {
          const r = await measure(side, bytes, files, digest);
          out.push({ round, mib, files, side: side.name, ...r });
          log(`artifacts round ${round + 1}, ${mib} MiB × ${files}, ${side.name}: up ${r.upMiBs.toFixed(0)} MiB/s, down ${r.downMiBs.toFixed(0)} MiB/s`);
        }
      }
    }
  } finally {
    for (const s of stops.reverse()) await s().catch(() => {});
    agent.destroy();
  }
  return out;
}

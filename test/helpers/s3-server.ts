/**
 * A real S3-compatible server for a test file: versitygw (built by `scripts/s3-test-server.sh build`) serving a
 * temp folder on a free loopback port, with one bucket made. Tests that need it skip, with the build command in
 * the reason, where the binary was never built.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { canConnect, freePort } from './loopback.js';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

export const VERSITYGW_VERSION = '1.8.0';
export const VERSITYGW_BIN = join(
  process.env['FERRY_TOOLS_DIR'] ?? join(homedir(), '.cache', 'ferry-tools'),
  `versitygw-v${VERSITYGW_VERSION}`,
  'bin',
  'versitygw',
);
export const HAVE_S3 = existsSync(VERSITYGW_BIN);
export const NO_S3_REASON = HAVE_S3 ? '' : `no S3 test server at ${VERSITYGW_BIN}; build it with 'scripts/s3-test-server.sh build'`;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region: string;
  /** A client for the test's own checks (what is in the bucket), configured as Ferry's. */
  client: S3Client;
  /** The `--artifacts` URL for a Ferry on this bucket under `prefix`. */
  location(prefix: string): string;
  /** AWS_* variables for a Ferry process using this server. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startS3Server(bucket = 'ferry-test'): Promise<S3TestServer> {
  if (!HAVE_S3) throw new Error(NO_S3_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-s3-'));
  const root = join(dir, 'root');
  mkdirSync(root);
  const accessKey = `ferrytest${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(20).toString('hex');
  const region = 'us-east-1';
  let child: ChildProcess | null = null;
  let log = '';
  let port = 0;
  // A free port can be taken between the probe and versitygw's bind: try a few.
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const c = spawn(VERSITYGW_BIN, ['--access', accessKey, '--secret', secretKey, '--port', `127.0.0.1:${port}`, 'posix', root], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    c.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    let exited = false;
    c.once('exit', () => (exited = true));
    for (let i = 0; i < 150 && !exited; i++) {
      if (await canConnect(port)) {
        child = c;
        break;
      }
      await sleep(100);
    }
    if (!child) c.kill('SIGKILL');
  }
  if (!child) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`versitygw did not start:\n${log}`);
  }
  const running = child;
  // Stops the server even when the test process exits without its afterAll.
  const killNow = () => running.kill('SIGKILL');
  process.once('exit', killNow);
  const endpoint = `http://127.0.0.1:${port}`;
  // The pinned SDK's warning about its future versions and Node 20 (Ferry's clients turn it off the same way).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: accessKey, secretAccessKey: secretKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const stop = async () => {
    process.removeListener('exit', killNow);
    client.destroy();
    if (running.exitCode === null && running.signalCode === null) {
      const gone = new Promise((r) => running.once('exit', r));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint,
    bucket,
    accessKey,
    secretKey,
    region,
    client,
    location: (prefix) => `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=${region}`,
    env: () => ({ AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey, AWS_REGION: region }),
    stop,
  };
}

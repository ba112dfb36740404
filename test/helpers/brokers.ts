/**
 * Real message brokers for a test file, each on free loopback ports in a temp folder: Kafka in KRaft mode (one
 * node, broker and controller; jars fetched by `scripts/stream-brokers.sh build`), redis-server and nats-server
 * with JetStream (Debian packages). A test whose broker is missing skips with the command that installs it in
 * its reason. Each broker can be stopped and started again on the same ports and data (a broker restart).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './loopback.js';

export const KAFKA_VERSION = '4.4.0';
export const KAFKA_LIB = join(process.env['FERRY_TOOLS_DIR'] ?? join(homedir(), '.cache', 'ferry-tools'), `kafka-v${KAFKA_VERSION}`, 'lib');
const which = (paths: string[]) => paths.find((p) => existsSync(p)) ?? null;
const REDIS_BIN = which(['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
const NATS_BIN = which(['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']);
const JAVA = which(['/usr/bin/java']) ?? 'java';

export const HAVE_KAFKA = existsSync(join(KAFKA_LIB, '.complete'));
export const HAVE_REDIS = REDIS_BIN !== null;
export const HAVE_NATS = NATS_BIN !== null;
const INSTALL = "install it with 'scripts/stream-brokers.sh build'";
export const NO_KAFKA_REASON = HAVE_KAFKA ? '' : `no Kafka jars at ${KAFKA_LIB}; ${INSTALL}`;
export const NO_REDIS_REASON = HAVE_REDIS ? '' : `no redis-server; ${INSTALL}`;
export const NO_NATS_REASON = HAVE_NATS ? '' : `no nats-server; ${INSTALL}`;

export type BrokerKind = 'kafka' | 'redis' | 'nats';

export interface TestBroker {
  kind: BrokerKind;
  /** What a binding names: Kafka's `host:port` bootstrap list, `redis://…`, or `nats://…`. */
  url: string;
  port: number;
  /** Stops the broker (SIGTERM, or SIGKILL with `kill`), keeping its data for start(). */
  stop(kill?: boolean): Promise<void>;
  /** Starts it again on the same ports and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
  /** What it printed (for a failing test's message). */
  log(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A broker process that can be stopped and started again with the same command. */
class Managed {
  child: ChildProcess | null = null;
  out = '';

  constructor(
    private readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly cwd: string,
    /** Resolves once the broker answers (polled). */
    private readonly ready: () => Promise<boolean>,
    private readonly timeoutMs: number,
  ) {}

  async start(): Promise<void> {
    const c = spawn(this.command, this.args, { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = c;
    const keep = (d: Buffer) => {
      this.out = (this.out + d.toString()).slice(-20_000);
    };
    c.stdout!.on('data', keep);
    c.stderr!.on('data', keep);
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${this.name} exited (${c.exitCode ?? c.signalCode}) while starting:\n${this.out}`);
      if (await this.ready()) return;
      await sleep(100);
    }
    c.kill('SIGKILL');
    throw new Error(`${this.name} did not start in ${this.timeoutMs / 1000} s:\n${this.out}`);
  }

  async stop(kill = false): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(kill ? 'SIGKILL' : 'SIGTERM');
    const late = setTimeout(() => c.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(late);
  }
}

function broker(kind: BrokerKind, url: string, port: number, dir: string, m: Managed): TestBroker {
  return {
    kind,
    url,
    port,
    stop: (kill) => m.stop(kill),
    start: () => m.start(),
    close: async () => {
      await m.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => m.out,
  };
}

/**
 * One Kafka node in KRaft mode (broker and controller), topics auto-created with `partitions` partitions. Its
 * internal topics have one replica, and a new consumer group starts without the usual 3 s wait for members.
 */
export async function startKafka(opts: { partitions?: number; sasl?: { username: string; password: string } } = {}): Promise<TestBroker> {
  if (!HAVE_KAFKA) throw new Error(NO_KAFKA_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-kafka-'));
  const [port, controller] = [await freePort(), await freePort()];
  // With `sasl`: clients sign in with SASL/PLAIN as that user (the broker's own listener too).
  const l = opts.sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const q = (v: string) => JSON.stringify(v);
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=${l}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=${l}://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    `inter.broker.listener.name=${l}`,
    `listener.security.protocol.map=${l}:${l},CONTROLLER:PLAINTEXT`,
    ...(opts.sasl
      ? [
          'sasl.enabled.mechanisms=PLAIN',
          'sasl.mechanism.inter.broker.protocol=PLAIN',
          `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${q(opts.sasl.username)} password=${q(opts.sasl.password)} user_${opts.sasl.username}=${q(opts.sasl.password)};`,
        ]
      : []),
    `log.dirs=${join(dir, 'data')}`,
    `num.partitions=${opts.partitions ?? 1}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
  ];
  const config = join(dir, 'server.properties');
  writeFileSync(config, props.join('\n') + '\n');
  const cp = `${KAFKA_LIB}/*`;
  const clusterId = execFileSync(JAVA, ['-cp', cp, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' }).trim();
  execFileSync(JAVA, ['-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config], { stdio: 'ignore' });
  const m = new Managed(
    'kafka',
    JAVA,
    ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', cp, 'kafka.Kafka', config],
    dir,
    () => canConnect(port),
    90_000,
  );
  await m.start();
  return broker('kafka', `127.0.0.1:${port}`, port, dir, m);
}

/**
 * redis-server without persistence to disk (a restart starts empty, as tests of Ferry's restarts expect of none);
 * with `password`, the default user needs it (AUTH default <password>).
 */
export async function startRedis(opts: { password?: string } = {}): Promise<TestBroker> {
  if (!REDIS_BIN) throw new Error(NO_REDIS_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-redis-'));
  const port = await freePort();
  const m = new Managed(
    'redis-server',
    REDIS_BIN,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...(opts.password ? ['--requirepass', opts.password] : []),
    ],
    dir,
    () => canConnect(port),
    30_000,
  );
  await m.start();
  return broker('redis', `redis://127.0.0.1:${port}`, port, dir, m);
}

/** nats-server with JetStream, its store in the temp folder (kept across stop/start); with `auth`, clients need that user. */
export async function startNats(opts: { auth?: { username: string; password: string } } = {}): Promise<TestBroker> {
  if (!NATS_BIN) throw new Error(NO_NATS_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-nats-'));
  const [port, monitor] = [await freePort(), await freePort()];
  const healthy = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`)).ok;
    } catch {
      return false;
    }
  };
  const m = new Managed(
    'nats-server',
    NATS_BIN,
    [
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '-m',
      String(monitor),
      '-js',
      '-sd',
      join(dir, 'js'),
      ...(opts.auth ? ['--user', opts.auth.username, '--pass', opts.auth.password] : []),
    ],
    dir,
    healthy,
    30_000,
  );
  await m.start();
  return broker('nats', `nats://127.0.0.1:${port}`, port, dir, m);
}

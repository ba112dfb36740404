/**
 * compose.yaml's structure (no container engine runs here, and no registry is reachable: the file is validated, not
 * run): two Ferry replicas of one image on one PostgreSQL and one S3 server behind haproxy, every dependency waiting
 * on a health check or a finished one-shot, and haproxy checking the replicas' /ready. Where Debian's docker-compose
 * (1.29, `apt-get install docker-compose`) is installed, its `config` validates the file against the Compose schema;
 * skipped, loudly, without it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  read_only?: boolean;
  tmpfs?: string[];
}

const compose = parse(readFileSync(resolve('compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const haproxy = readFileSync(resolve('deploy/compose/haproxy.cfg'), 'utf8');
const envExample = readFileSync(resolve('deploy/compose/ferry.env.example'), 'utf8');
const ferries = ['ferry-1', 'ferry-2'];
const flag = (s: Service, name: string) => s.command![s.command!.indexOf(name) + 1];

const HAVE_COMPOSE = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
if (!HAVE_COMPOSE) console.warn('\n!! SKIPPING the docker-compose validation of compose.yaml: no docker-compose (apt-get install docker-compose)\n');

/** `docker-compose config -q` of this compose file text, in a copy of the project with ferry.env made from the example. */
function composeConfig(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-compose-'));
  try {
    mkdirSync(join(dir, 'deploy', 'compose'), { recursive: true });
    copyFileSync(resolve('deploy/compose/haproxy.cfg'), join(dir, 'deploy', 'compose', 'haproxy.cfg'));
    copyFileSync(resolve('deploy/compose/ferry.env.example'), join(dir, 'deploy', 'compose', 'ferry.env'));
    // docker-compose 1.29 predates the top-level `name` (the project name); the rest is the Compose specification.
    writeFileSync(join(dir, 'compose.yaml'), text.replace(/^name: .*$/m, ''));
    return spawnSync('docker-compose', ['-f', 'compose.yaml', 'config', '-q'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('compose.yaml', () => {
  it('runs two Ferry replicas of one image, sharing PostgreSQL and S3', () => {
    expect(Object.keys(services).sort()).toEqual(['ferry-1', 'ferry-2', 'lb', 'postgres', 's3', 's3-init']);
    const [a, b] = ferries.map((n) => services[n]!);
    expect(a).toEqual(b);
    expect(a!.image).toBe('${FERRY_IMAGE:-ferry:0.1.0}');
    expect(a!.command!.slice(0, 3)).toEqual(['server', '--host', '0.0.0.0']);
    expect(flag(a!, '--store')).toBe('postgres://ferry:${POSTGRES_PASSWORD:-ferry}@postgres:5432/ferry');
    const artifacts = new URL(flag(a!, '--artifacts')!);
    expect(artifacts.protocol).toBe('s3:');
    expect(artifacts.hostname).toBe('ferry');
    expect(Object.fromEntries(artifacts.searchParams)).toEqual({ endpoint: 'http://s3:7070', region: 'us-east-1', path_style: 'true' });
    // The bucket the one-shot creates is the one Ferry writes to.
    expect(services['s3-init']!.entrypoint!.join(' ')).toContain(`Bucket: '${artifacts.hostname}'`);
    expect(a!.environment!['FERRY_ALLOWED_HOSTS']).toBeTruthy();
    expect(a!.env_file).toEqual(['deploy/compose/ferry.env']);
    expect(a!.read_only).toBe(true);
    expect(a!.tmpfs).toEqual(['/tmp', '/data']);
  });

  it('keeps the secrets in an env file whose example names them all', () => {
    const keys = envExample
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('=')[0]);
    expect(keys.sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'FERRY_ADMIN_TOKEN', 'FERRY_SECRET_KEY']);
    expect(readFileSync(resolve('deploy/compose/.gitignore'), 'utf8').split('\n')).toContain('ferry.env');
    // versitygw's root user is the credentials Ferry signs with.
    expect(services['s3']!.entrypoint!.join(' ')).toContain('ROOT_ACCESS_KEY_ID="$$AWS_ACCESS_KEY_ID" ROOT_SECRET_ACCESS_KEY="$$AWS_SECRET_ACCESS_KEY"');
  });

  it('starts each service once what it needs is healthy (or, for the bucket, done)', () => {
    for (const n of ferries)
      expect(services[n]!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, 's3-init': { condition: 'service_completed_successfully' } });
    expect(services['s3-init']!.depends_on).toEqual({ s3: { condition: 'service_healthy' } });
    expect(services['lb']!.depends_on).toEqual({ 'ferry-1': { condition: 'service_healthy' }, 'ferry-2': { condition: 'service_healthy' } });
    // Every service waited on as healthy has a health check, and every name depended on exists.
    for (const [name, s] of Object.entries(services))
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dep]!.healthcheck, `${dep}'s healthcheck`).toBeDefined();
      }
    // The replicas' health check is their readiness (the store answers), asked with node: no curl in the image.
    expect(services['ferry-1']!.healthcheck!.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(services['ferry-1']!.healthcheck!.test[3]).toContain("fetch('http://127.0.0.1:5050/ready')");
  });

  it('balances over both replicas with haproxy, each checked on GET /ready', () => {
    const lb = services['lb']!;
    expect(lb.volumes).toEqual(['./deploy/compose/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
    // Published on loopback only.
    expect(lb.ports).toEqual(['127.0.0.1:5050:5050']);
    expect(haproxy).toMatch(/^\s*option httpchk GET \/ready$/m);
    expect(haproxy).toMatch(/^\s*bind :5050$/m);
    const servers = [...haproxy.matchAll(/^\s*server (\S+) (\S+) check$/gm)].map((m) => [m[1], m[2]]);
    expect(servers).toEqual(ferries.map((n) => [n, `${n}:5050`]));
  });

  it('keeps PostgreSQL and the S3 data in named volumes', () => {
    expect(services['postgres']!.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(services['s3']!.volumes).toEqual(['s3-data:/data']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 's3-data']);
  });

  it.skipIf(!HAVE_COMPOSE)('passes docker-compose config, which refuses a misspelt option or condition (the check can fail)', () => {
    const text = readFileSync(resolve('compose.yaml'), 'utf8');
    expect(text).toMatch(/^name: ferry$/m);
    const ok = composeConfig(text);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const typo = composeConfig(text.replace('healthcheck:', 'healthchek:'));
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain("Unsupported config option for services.ferry-1: 'healthchek'");
    const condition = composeConfig(text.replace('condition: service_healthy', 'condition: service_happy'));
    expect(condition.status).not.toBe(0);
    expect(condition.stderr).toContain('service_happy');
  });
});

/**
 * Finds secrets in log files: each secret as written, URL-encoded, and inside any base64 text (a basic-auth header
 * with whatever username, a token base64-encoded into a larger blob), whatever the secret's offset in it. A finding
 * names the file, the line and the secret's label, never the secret, so a failing test does not leak it to CI logs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Secret {
  /** What the secret is ("admin token", "alice's password"), shown instead of it. */
  label: string;
  value: string;
}

export interface SecretFinding {
  file: string;
  /** 1-based. */
  line: number;
  label: string;
  /** How it appeared: 'as is', 'url-encoded' or 'base64'. */
  form: string;
}

/**
 * The parts of base64 text that any string containing `secret` encodes to, for each of the three byte offsets the
 * secret can start at: only the characters made of the secret's bits alone, so they do not depend on what surrounds it.
 */
export function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const core = b64.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    // The standard and URL-safe alphabets.
    cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...new Set(cores)];
}

function formsOf(value: string): { form: string; text: string }[] {
  const forms = [{ form: 'as is', text: value }];
  const encoded = encodeURIComponent(value);
  if (encoded !== value) forms.push({ form: 'url-encoded', text: encoded });
  for (const core of base64Cores(value)) forms.push({ form: 'base64', text: core });
  return forms;
}

/** Every file under `dir` (recursively) whose name passes `keep`; none when the folder does not exist. */
export function filesUnder(dir: string, keep: (name: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p, keep));
    else if (entry.isFile() && keep(entry.name)) out.push(p);
  }
  return out;
}

/**
 * Scans `files` line by line for every form of every secret. `allowed(file, line)` exempts a line that is meant to
 * show a secret (the admin token printed once at first start); a secret shorter than 12 characters is refused, since
 * its base64 core would match by chance.
 */
export function scanForSecrets(
  files: readonly string[],
  secrets: readonly Secret[],
  allowed: (file: string, line: string) => boolean = () => false,
): SecretFinding[] {
  const short = secrets.find((s) => s.value.length < 12);
  if (short) throw new Error(`secret '${short.label}' is too short to scan for (${short.value.length} characters)`);
  const needles = secrets.flatMap((s) => formsOf(s.value).map((f) => ({ label: s.label, ...f })));
  const findings: SecretFinding[] = [];
  for (const file of files) {
    if (!statSync(file).isFile()) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const n of needles) {
        if (line.includes(n.text) && !allowed(file, line)) findings.push({ file, line: i + 1, label: n.label, form: n.form });
      }
    });
  }
  return findings;
}

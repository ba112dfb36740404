/**
 * A `ferry loops create|update -f FILE` spec (pure): the API's create body (POST /api/v1/loops) in YAML or JSON,
 * with two conveniences the API does not have:
 *   - `training.project` may be a local project folder (relative to the spec file) instead of a stored
 *     project's digest: the CLI uploads it (as `ferry jobs submit PATH` does) and sends the digest;
 *   - dataset versions written as numbers (`version: 3`, as YAML reads it) are sent as the text the API takes.
 * Everything else is sent as written; the server checks it and names the field it refuses.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LoopCreate, LoopUpdate } from '../sdk/index.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** The fields that name a loop rather than describe it: an update leaves them out. */
const IDENTITY = ['name', 'model', 'deployment'] as const;
const REQUIRED = { create: [...IDENTITY, 'gate', 'rollout'], update: ['gate', 'rollout'] } as const;

export type SpecFormat = 'json' | 'yaml';

/** By extension: .json is JSON; anything else (.yaml, .yml, stdin) is YAML, which reads JSON too. */
export function specFormat(file: string): SpecFormat {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A dataset reference as the API takes it: text ('3', 'latest', a tag). */
function versionText(holder: unknown): void {
  if (isObject(holder) && typeof holder['version'] === 'number') holder['version'] = String(holder['version']);
}

/**
 * The file's text → the loop's spec; refuses what is not an object or lacks a field the purpose needs (an update
 * needs no name, model or deployment), naming the file.
 */
export function parseLoopSpec(text: string, file: string, purpose: 'create' | 'update' = 'create'): LoopCreate {
  const format = specFormat(file);
  let v: unknown;
  try {
    v = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`${file}: not valid ${format === 'json' ? 'JSON' : 'YAML'} (${(err as Error).message.split('\n')[0]})`);
  }
  if (!isObject(v)) throw new Error(`${file}: must be ${format === 'json' ? 'a JSON object' : 'a YAML mapping'} (the body of POST /api/v1/loops)`);
  const missing = REQUIRED[purpose].filter((k) => v[k] === undefined);
  if (missing.length) throw new Error(`${file}: a loop needs ${missing.join(', ')} (see docs/loops-cli.md for an example)`);
  const spec = structuredClone(v);
  if (isObject(spec['gate'])) versionText(spec['gate']['holdout']);
  if (isObject(spec['training'])) versionText(spec['training']['data']);
  return spec as unknown as LoopCreate;
}

/**
 * The local project folder the spec names, resolved against the spec file's folder (the working directory for
 * stdin); undefined when `training.project` is absent or already a stored project's digest.
 */
export function localProject(spec: LoopCreate, file: string): string | undefined {
  const project = spec.training?.project;
  if (project === undefined || DIGEST.test(project)) return undefined;
  if (isAbsolute(project) || file === '-') return resolve(project);
  return resolve(dirname(file), project);
}

/** The spec with `training.project` set to the uploaded project's digest. */
export function withProject(spec: LoopCreate, digest: string): LoopCreate {
  if (!spec.training) return spec;
  return { ...spec, training: { ...spec.training, project: digest } };
}

/**
 * The update body from a create spec (so one file serves both): name, model and deployment are left out, and
 * refused when they differ from the loop's, since an update cannot change them.
 */
export function updateBody(spec: LoopCreate, loop: { name: string; model: string; deployment: string }, file: string): LoopUpdate {
  const body: Obj = { ...spec };
  for (const k of IDENTITY) {
    if (body[k] !== undefined && body[k] !== loop[k])
      throw new Error(`${file}: ${k} is '${String(body[k])}' but loop ${loop.name} has '${loop[k]}' (a loop's ${k} cannot change: create a new loop)`);
    delete body[k];
  }
  return body as LoopUpdate;
}

/**
 * MLflow Projects, read and run as `mlflow run` does (mlflow/projects/_project_spec.py): entry points with
 * typed parameters, defaults, `{name}` placeholders filled with shell-quoted values (Python str.format), extra
 * parameters appended as `--name value`, and `.py` / `.sh` files usable as entry points. Two deliberate
 * differences, both refusals mlflow would only hit at run time: a float parameter must parse as a float, and
 * a command with a placeholder no parameter fills is refused when the project is stored.
 */
import { parse } from 'yaml';
import { InvalidParameterError } from '../errors.js';
import { PYYAML_SCALAR_TAGS } from './pyyaml-scalars.js';
import { shellQuote } from './shell-quote.js';

export type ParameterType = 'string' | 'float' | 'path' | 'uri';

export interface ProjectParameterSpec {
  name: string;
  type: ParameterType;
  /** As Python's str() would print the YAML value; null = required. */
  default: string | null;
}

export interface EntryPointSpec {
  name: string;
  parameters: ProjectParameterSpec[];
  command: string;
}

export interface ProjectSpec {
  name: string;
  entryPoints: EntryPointSpec[];
  /** The python_env file named by MLproject (relative path), if any. */
  pythonEnvFile: string | null;
  /** Script files (.py, .sh) in the project, usable as entry points by file name. */
  scripts: string[];
}

export interface PythonEnv {
  python: string | null;
  buildDependencies: string[];
  dependencies: string[];
}

const TYPES: readonly ParameterType[] = ['string', 'float', 'path', 'uri'];

/** Python's str() of a YAML 1.1 scalar as PyYAML's safe_load reads it. */
export function pythonStr(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return pythonFloatRepr(v);
  if (typeof v === 'string') return v;
  throw new Error('not a scalar');
}

/** pythonStr of a value a file gives, refused with a 400 naming it when it is a list, a mapping or a date. */
function scalarStr(v: unknown, what: string): string {
  if (typeof v === 'object' && v !== null) throw new InvalidParameterError('body', `${what} must be a single value, not a list or a mapping.`);
  return pythonStr(v);
}

/** repr(float) in Python: the shortest round-tripping digits, scientific below 1e-4 and from 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expPart] = x.toExponential().split('e') as [string, string];
  const exp = Number(expPart);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp >= 0) {
    const intLen = exp + 1;
    out = digits.length <= intLen ? `${digits.padEnd(intLen, '0')}.0` : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  } else {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${out}` : out;
}

function yamlOf(text: string, file: string): unknown {
  try {
    // YAML 1.1 with PyYAML's scalars (pyyaml-scalars.ts), as mlflow reads MLproject files: `1.0` stays a float, `1e-3` a string.
    return parse(text, { version: '1.1', schema: 'failsafe', customTags: PYYAML_SCALAR_TAGS, merge: true, uniqueKeys: false, maxAliasCount: 100 });
  } catch (err) {
    throw new InvalidParameterError('body', `${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The placeholders of a str.format template; refuses what MLflow's format() would choke on. */
export function placeholders(template: string, where: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '{') {
      if (template[i + 1] === '{') {
        i++;
        continue;
      }
      const end = template.indexOf('}', i);
      if (end < 0) throw new InvalidParameterError('body', `${where}: an unclosed '{' in the command.`);
      const field = template.slice(i + 1, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field))
        throw new InvalidParameterError('body', `${where}: '{${field}}' is not a plain parameter placeholder (write '{{' for a literal brace).`);
      names.push(field);
      i = end;
    } else if (c === '}') {
      if (template[i + 1] === '}') i++;
      else throw new InvalidParameterError('body', `${where}: a single '}' in the command (write '}}' for a literal brace).`);
    }
  }
  return names;
}

function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : values[name!]!));
}

/** Parses an MLproject file; `dirName` names the project when the file does not. */
export function parseMlproject(text: string, dirName: string, files: readonly string[]): ProjectSpec {
  const doc = yamlOf(text, 'MLproject');
  if (!isRecord(doc)) throw new InvalidParameterError('body', 'MLproject must be a YAML mapping (name, entry_points, python_env).');
  const name = doc['name'] === undefined || doc['name'] === null ? dirName : scalarStr(doc['name'], "MLproject: 'name'");
  const rawEps = doc['entry_points'] ?? {};
  if (!isRecord(rawEps)) throw new InvalidParameterError('body', "MLproject: 'entry_points' must be a mapping of names to entry points.");
  const entryPoints: EntryPointSpec[] = [];
  for (const [epName, ep] of Object.entries(rawEps)) {
    if (!isRecord(ep)) throw new InvalidParameterError('body', `MLproject: entry point '${epName}' must be a mapping with a command.`);
    if (typeof ep['command'] !== 'string' || !ep['command'].trim())
      throw new InvalidParameterError('body', `MLproject: entry point '${epName}' has no command.`);
    const rawParams = ep['parameters'] ?? {};
    if (!isRecord(rawParams)) throw new InvalidParameterError('body', `MLproject: the parameters of entry point '${epName}' must be a mapping.`);
    const parameters: ProjectParameterSpec[] = [];
    for (const [pName, p] of Object.entries(rawParams)) {
      let type: unknown = 'string';
      let def: unknown = null;
      if (typeof p === 'string') type = p;
      else if (isRecord(p)) {
        type = p['type'] ?? 'string';
        def = p['default'] ?? null;
      } else if (p !== null) throw new InvalidParameterError('body', `MLproject: parameter '${pName}' of '${epName}' must be a type name or a mapping.`);
      if (!TYPES.includes(type as ParameterType))
        throw new InvalidParameterError('body', `MLproject: parameter '${pName}' of '${epName}' has type '${String(type)}'; use string, float, path or uri.`);
      if (def !== null && (isRecord(def) || Array.isArray(def)))
        throw new InvalidParameterError('body', `MLproject: the default of parameter '${pName}' of '${epName}' must be a single value.`);
      parameters.push({ name: pName, type: type as ParameterType, default: def === null ? null : pythonStr(def) });
    }
    const known = new Set(parameters.map((p) => p.name));
    for (const ph of placeholders(ep['command'], `MLproject entry point '${epName}'`)) {
      if (!known.has(ph)) throw new InvalidParameterError('body', `MLproject: the command of '${epName}' uses {${ph}}, which is not one of its parameters.`);
    }
    entryPoints.push({ name: epName, parameters, command: ep['command'] });
  }
  const pe = doc['python_env'];
  if (pe !== undefined && pe !== null && typeof pe !== 'string') throw new InvalidParameterError('body', "MLproject: 'python_env' must name a file.");
  if (typeof pe === 'string' && !files.includes(pe))
    throw new InvalidParameterError('body', `MLproject names python_env '${pe}', which is not in the project.`);
  const pythonEnvFile = typeof pe === 'string' ? pe : files.includes('python_env.yaml') ? 'python_env.yaml' : null;
  if (doc['docker_env'] !== undefined)
    throw new InvalidParameterError('body', 'MLproject: docker_env is not supported; use python_env (the Kubernetes executor runs an image of its own).');
  return { name, entryPoints, pythonEnvFile, scripts: files.filter((f) => /\.(py|sh)$/.test(f)) };
}

export function parsePythonEnv(text: string): PythonEnv {
  const doc = yamlOf(text, 'python_env.yaml');
  if (!isRecord(doc)) throw new InvalidParameterError('body', 'python_env.yaml must be a mapping (python, build_dependencies, dependencies).');
  const list = (key: string): string[] => {
    const v = doc[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number'))
      throw new InvalidParameterError('body', `python_env.yaml: '${key}' must be a list of requirement strings.`);
    return v.map((x) => pythonStr(x));
  };
  const python = doc['python'] === undefined || doc['python'] === null ? null : scalarStr(doc['python'], "python_env.yaml: 'python'");
  return { python, buildDependencies: list('build_dependencies'), dependencies: list('dependencies') };
}

/** An entry point by name, or a .py/.sh file of the project (run with python / bash), as mlflow resolves it. */
export function entryPoint(spec: ProjectSpec, name: string): EntryPointSpec {
  const ep = spec.entryPoints.find((e) => e.name === name);
  if (ep) return ep;
  const ext = /\.(py|sh)$/.exec(name)?.[1];
  if (ext && spec.scripts.includes(name)) return { name, parameters: [], command: `${ext === 'py' ? 'python' : 'bash'} ${shellQuote(name)}` };
  const names = spec.entryPoints.map((e) => `'${e.name}'`).join(', ') || 'none';
  throw new InvalidParameterError('entry_point', `Unknown entry point '${name}': the project has ${names}, and no script of that name (.py or .sh) to run.`);
}

const FLOAT = /^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+(_\d+)*)?$|^[+-]?(inf|infinity|nan)$/i;

/**
 * The parameters and the command of an entry point for the given values: declared ones (value or default,
 * required ones checked, types checked), then the others as `--name value`.
 */
export function computeCommand(ep: EntryPointSpec, given: Record<string, string>): { parameters: Record<string, string>; command: string } {
  // Own keys only: `in` and `given[name]` would see Object.prototype's toString or constructor as given values.
  const has = (o: object, k: string) => Object.hasOwn(o, k);
  const missing = ep.parameters.filter((p) => !has(given, p.name) && p.default === null).map((p) => `'${p.name}'`);
  if (missing.length) throw new InvalidParameterError('parameters', `No value given for missing parameters: ${missing.join(', ')} (entry point '${ep.name}').`);
  const final = Object.create(null) as Record<string, string>;
  for (const p of ep.parameters) {
    const v = has(given, p.name) ? given[p.name]! : p.default!;
    if (p.type === 'float' && !FLOAT.test(v.trim()))
      throw new InvalidParameterError(`parameters.${p.name}`, `Parameter '${p.name}' has type float, but '${v}' is not a number.`);
    if (p.type === 'uri' && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v))
      throw new InvalidParameterError(`parameters.${p.name}`, `Expected a URI for parameter '${p.name}' but got '${v}'.`);
    final[p.name] = v;
  }
  const extra = Object.entries(given).filter(([k]) => !has(final, k));
  const quoted = Object.fromEntries(Object.entries(final).map(([k, v]) => [k, shellQuote(v)]));
  const command = [format(ep.command, quoted), ...extra.map(([k, v]) => `--${shellQuote(k)} ${shellQuote(v)}`)].join(' ');
  return { parameters: { ...final, ...Object.fromEntries(extra) }, command };
}

/**
 * Plain YAML scalars read the way PyYAML's safe_load reads them (yaml/resolver.py, yaml/constructor.py, 6.0),
 * since mlflow reads MLproject and python_env.yaml with it and a parameter's default reaches the command as
 * Python's str() of that value. The `yaml` package's own YAML 1.1 schema differs where it matters here: it reads
 * `1e-3` and `1.5e3` as numbers and `y` / `n` as booleans (PyYAML: strings; a float needs a dot, an exponent a
 * sign), and dates as Date objects (PyYAML: date / datetime, whose str() is ISO text). Integers stay BigInt.
 */
import type { ScalarTag } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$/;

/** Sign and digits, as PyYAML's constructors split them. */
function signed(text: string): { neg: boolean; body: string } {
  const v = text.replaceAll('_', '');
  return { neg: v[0] === '-', body: v[0] === '-' || v[0] === '+' ? v.slice(1) : v };
}

export function pyInt(text: string): bigint {
  const { neg, body } = signed(text);
  let n: bigint;
  if (body === '0') n = 0n;
  else if (body.startsWith('0b')) n = BigInt(`0b${body.slice(2)}`);
  else if (body.startsWith('0x')) n = BigInt(`0x${body.slice(2)}`);
  else if (body[0] === '0') n = BigInt(`0o${body.slice(1)}`);
  else if (body.includes(':')) {
    // Base 60 (`1:30` is 90), the last part the lowest.
    n = 0n;
    for (const part of body.split(':')) n = n * 60n + BigInt(part);
  } else n = BigInt(body);
  return neg ? -n : n;
}

export function pyFloat(text: string): number {
  const { neg, body } = signed(text.toLowerCase());
  const sign = neg ? -1 : 1;
  if (body === '.inf') return sign * Infinity;
  if (body === '.nan') return NaN;
  if (body.includes(':')) {
    // As PyYAML sums it: lowest part first, each times a growing power of 60 (the same float rounding).
    let value = 0;
    let base = 1;
    for (const part of body.split(':').reverse()) {
      value += Number(part) * base;
      base *= 60;
    }
    return sign * value;
  }
  const x = Number(body);
  if (body === '' || Number.isNaN(x)) throw new Error(`'${text}' is not a float`);
  return sign * x;
}

const pad = (n: number | string, width = 2) => String(n).padStart(width, '0');

/** str() of the date or datetime PyYAML builds: `2024-01-15`, `2024-01-15 10:30:00.500000+02:00`. */
export function pyTimestamp(text: string): string {
  const m = TIMESTAMP_PARTS.exec(text);
  if (!m) throw new Error(`'${text}' is not a timestamp`);
  const [, y, mo, d, h, mi, s, frac, tz, tzSign, tzH, tzM] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // datetime.date refuses a day the month does not have; so does PyYAML.
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || Number(y) < 1) throw new Error(`'${text}' is not a valid date`);
  const day = `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}`;
  if (h === undefined) return day;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw new Error(`'${text}' is not a valid time`);
  const micro = frac ? Number(frac.slice(0, 6).padEnd(6, '0')) : 0;
  let out = `${day} ${pad(h)}:${mi}:${s}${micro ? `.${pad(micro, 6)}` : ''}`;
  if (tzSign) {
    const minutes = Number(tzH) * 60 + Number(tzM ?? 0);
    if (minutes >= 24 * 60) throw new Error(`'${text}' has an offset of a day or more`);
    out += `${tzSign === '-' && minutes ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  } else if (tz) out += '+00:00';
  return out;
}

const tag = (name: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({
  tag: `tag:yaml.org,2002:${name}`,
  default: true,
  test,
  resolve,
  identify: () => false,
});

/** PyYAML's implicit resolvers, in its order (the first whose pattern matches a plain scalar wins). */
const IMPLICIT: ScalarTag[] = [
  tag('bool', BOOL, (s) => /^(?:yes|true|on)$/i.test(s)),
  tag('float', FLOAT, pyFloat),
  tag('int', INT, pyInt),
  tag('null', NULL, () => null),
  tag('timestamp', TIMESTAMP, pyTimestamp),
];

/** The same constructors for explicit tags (`!!float 1` is 1.0), whatever the text looks like. */
export const PYYAML_SCALAR_TAGS: ScalarTag[] = [...IMPLICIT, ...IMPLICIT.map((t) => ({ ...t, default: false, test: undefined }))];

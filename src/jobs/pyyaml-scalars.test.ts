import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import { parseMlproject } from './mlproject.js';

const defaultOf = (yamlValue: string) =>
  parseMlproject(`entry_points:\n  main:\n    parameters:\n      p:\n        default: ${yamlValue}\n    command: "echo {p}"\n`, 'x', []).entryPoints[0]!
    .parameters[0]!.default;

// [plain scalar in the MLproject, str() of what PyYAML 6.0.4's safe_load gives (null: None)], printed by PyYAML itself.
const PYYAML: [string, string | null][] = [
  ['1e-3', '1e-3'],
  ['1.0', '1.0'],
  ['yes', 'True'],
  ['100', '100'],
  ['1.0e+3', '1000.0'],
  ['1.5e3', '1.5e3'],
  ['0x1F', '31'],
  ['017', '15'],
  ['1_000', '1000'],
  ['.inf', 'inf'],
  ['-.nan', '-.nan'],
  ['.nan', 'nan'],
  ['off', 'False'],
  ['y', 'y'],
  ['n', 'n'],
  ['2024-01-15', '2024-01-15'],
  ['2024-01-15 10:30:00', '2024-01-15 10:30:00'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.100000-05:00'],
  ['2001-12-14 21:59:43Z', '2001-12-14 21:59:43+00:00'],
  ['1:30', '90'],
  ['190:20:30.15', '685230.15'],
  ['0b101', '5'],
  ['-0.0', '-0.0'],
  ['10000000000000000.0', '1e+16'],
  ['0.00001', '1e-05'],
  ['12e03', '12e03'],
  ['-.5', '-.5'],
  ['08', '08'],
  ['123456789012345678901234567890', '123456789012345678901234567890'],
  ['!!float 1', '1.0'],
  ['"1.0"', '1.0'],
  ['~', null],
  ['', null],
];

describe('MLproject scalars as PyYAML reads them', () => {
  it.each(PYYAML)('%s', (text, want) => expect(defaultOf(text)).toBe(want));

  it('refuses a date that does not exist, as PyYAML does', () => {
    expect(() => defaultOf('2024-02-30')).toThrow(InvalidParameterError);
  });
});

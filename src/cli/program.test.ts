/** The command tree: every command a user can run takes --json and says what it does. */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './program.js';

/** The commands that run something (no subcommands), by their full name. */
function leaves(cmd: Command, path: string[] = []): { name: string; cmd: Command }[] {
  if (cmd.commands.length === 0) return [{ name: path.join(' '), cmd }];
  return cmd.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

describe('ferry command tree', () => {
  const all = leaves(buildProgram());

  it('finds every command', () => {
    // A floor, so that a broken walk cannot pass by finding nothing.
    expect(all.length).toBeGreaterThan(50);
    expect(all.map((l) => l.name)).toEqual(
      expect.arrayContaining(['server', 'quickstart', 'experiments list', 'predict', 'alerts rules create', 'data suite attach']),
    );
  });

  // No exceptions: the long-running `server` and `quickstart` print one line of JSON once they are ready.
  it('gives every command --json, a flag for JSON output (never an option that takes a value)', () => {
    const jsonFlag = (cmd: Command) => cmd.options.some((o) => o.long === '--json' && !o.required && !o.optional);
    expect(all.filter((l) => !jsonFlag(l.cmd)).map((l) => l.name)).toEqual([]);
  });

  it('describes every command', () => {
    expect(all.filter((l) => !l.cmd.description()).map((l) => l.name)).toEqual([]);
  });

  it('offers --model-version only where the API filters by it (drift and the prediction log)', () => {
    const has = all.filter((l) => l.cmd.options.some((o) => o.long === '--model-version')).map((l) => l.name);
    expect(has).toEqual(expect.arrayContaining(['drift', 'predictions list', 'predictions export']));
    expect(has).not.toContain('quality');
    expect(has).not.toContain('performance');
  });
});

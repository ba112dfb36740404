/**
 * Runs `ferry ARGS` in this process against a listening server: stdout as text (without colours: picocolors turns
 * them on where CI is set, and the assertions read the words), stderr silenced, and the exit code the command set
 * (reset afterwards, so it never becomes the test process's own).
 */
import { stripVTControlCharacters } from 'node:util';
import { vi } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

export async function ferryInProcess(url: string, token: string, args: string[]): Promise<{ out: string; code: number | undefined }> {
  let out = '';
  process.exitCode = undefined;
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += stripVTControlCharacters(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await buildProgram().parseAsync(['node', 'ferry', '--url', url, '--token', token, ...args]);
  } finally {
    write.mockRestore();
    err.mockRestore();
  }
  const code = process.exitCode === undefined ? undefined : Number(process.exitCode);
  process.exitCode = undefined;
  return { out, code };
}

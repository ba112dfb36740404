/**
 * Option parsers and shared option sets for the command definitions. Commander only: the definitions load on
 * every `ferry` start, so nothing here may pull in the SDK or an implementation.
 */
import { type Command, InvalidArgumentError } from 'commander';

/** Every command takes --json: the API response as JSON instead of the readable output. */
export interface OutputOptions {
  json?: boolean;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number (0 or more).');
  return n;
}

/** For repeatable options: `--order-by a --order-by b` → ['a', 'b']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The filter/paging options every `list` command shares. */
export function listOptions(cmd: Command, filterExample: string, orderExample: string): Command {
  return cmd
    .option('--filter <filter>', `e.g. ${filterExample}`)
    .option('--order-by <clause>', `e.g. '${orderExample}' (repeatable)`, collect)
    .option('--max-results <n>', 'page size', positiveInt)
    .option('--page-token <token>', 'continue from an earlier page');
}

/** An executor's settings as the server holds them (the API's input, its name, where it came from). */
import type { Static } from '@sinclair/typebox';
import type { Executor as ExecutorView, ExecutorInput } from '../contract/jobs.js';

export type ExecutorInputBody = Static<typeof ExecutorInput>;
export type ExecutorInfo = Static<typeof ExecutorView>;

/** An executor's settings as the server uses them (the token opened). */
export interface ExecutorSettings extends Omit<ExecutorInputBody, 'token'> {
  name: string;
  token?: string;
  source: 'builtin' | 'config-file' | 'api';
  updated_at: number | null;
  updated_by: string | null;
}

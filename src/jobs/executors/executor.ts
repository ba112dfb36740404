/**
 * What every executor does for a job: start it (idempotently, keyed by the job's id, so a retried or
 * re-attached start never runs it twice), report its state, hand over its log from an offset, and stop it.
 * Implementations: local (a process group on this host), ray (the Ray Jobs REST API), kubernetes (a batch/v1 Job).
 */
export type ExecutionState = 'pending' | 'running' | 'succeeded' | 'failed' | 'stopped' | 'lost';

export interface ExecutionStatus {
  state: ExecutionState;
  /** Why it failed, stopped or was lost, in one sentence. */
  message?: string;
  exitCode?: number;
}

export interface JobResources {
  cpus?: number;
  gpus?: number;
  memory_mb?: number;
}

export interface PythonEnvSpec {
  /** The python_env.yaml text, hashed for caching. */
  text: string;
  python: string | null;
  buildDependencies: string[];
  dependencies: string[];
}

/** Everything an executor needs to run one job. */
export interface ExecutionRequest {
  jobId: string;
  /** The shell command of the entry point, parameters already quoted. */
  command: string;
  /** Environment for the job (MLflow's variables, the job's token); never logged. */
  env: Record<string, string>;
  /** A URL from which the executor can fetch the canonical project zip (one top folder), valid for a while. */
  sourceUrl: string;
  /** The canonical zip itself, for executors on this host. */
  readSource(): Promise<Buffer>;
  projectDigest: string;
  resources: JobResources;
  envManager: 'local' | 'virtualenv';
  pythonEnv: PythonEnvSpec | null;
}

export interface LogSlice {
  /** New text since `offset`. */
  text: string;
  /** The offset to ask from next time (in the executor's own units). */
  nextOffset: number;
  /**
   * The slice reaches the end of all the executor holds now: once the job has ended, asking again would answer
   * nothing (saves a call when the last of a log is copied).
   */
  atEnd?: boolean;
}

export interface Executor {
  readonly kind: 'local' | 'ray' | 'kubernetes';
  /** Starts the job, or finds it already started under this id; answers the executor's handle for it. */
  submit(req: ExecutionRequest): Promise<string>;
  status(handle: string): Promise<ExecutionStatus>;
  logs(handle: string, offset: number): Promise<LogSlice>;
  /** Asks the job to stop; the state turns 'stopped' once it has. */
  cancel(handle: string): Promise<void>;
  /** Frees what a finished job left behind (work folder, a terminal Ray job record); best effort. */
  cleanup?(handle: string): Promise<void>;
  close?(): Promise<void>;
}

/** An executor that cannot be reached or refused a call: the job fails with this message, never hangs. */
export class ExecutorError extends Error {
  constructor(
    message: string,
    /** true: worth trying again on the next tick (a timeout, a 5xx); false: the job cannot run as asked. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'ExecutorError';
  }
}

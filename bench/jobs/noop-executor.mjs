// The "no-op executor" baseline: a real implementation of Ferry's Executor interface
// (src/jobs/executors/executor.ts) whose jobs succeed the moment they are submitted. With it, the worker path
// costs only what Ferry itself does per job (claim, token, run status, log copy, finish), no process or cluster.

/** @implements {import('../../src/jobs/executors/executor.ts').Executor} */
export class NoopExecutor {
  kind = 'local';
  /** handle → how often status was asked (kept so a handle submitted twice is still one job). */
  jobs = new Map();
  submits = 0;
  cleaned = 0;

  /** Idempotent per handle, as the interface asks: a second submit of the same id finds the first. */
  async submit(req) {
    if (!this.jobs.has(req.jobId)) {
      this.jobs.set(req.jobId, 0);
      this.submits++;
    }
    return req.jobId;
  }

  async status(handle) {
    if (!this.jobs.has(handle)) return { state: 'lost', message: `no job ${handle}` };
    this.jobs.set(handle, this.jobs.get(handle) + 1);
    return { state: 'succeeded', exitCode: 0 };
  }

  async logs(_handle, offset) {
    return { text: '', nextOffset: offset };
  }

  async cancel() {}

  async cleanup() {
    this.cleaned++;
  }
}

// Robust measurement for every benchmark: core pinning, CPU per request (whole server and per thread), alternated
// rounds, medians with their spread, and targets judged on the median of enough rounds. See bench/README.md.
export { cpuPlan, parseCpuList, pinned, tasksetAvailable } from './pin.mjs';
export { delta as cpuDelta, perRequest as cpuPerRequest, snapshot as cpuSnapshot } from './cpu.mjs';
export { MIN_ROUNDS, alternate, judge, medianOf, summarize, withSpread } from './rounds.mjs';

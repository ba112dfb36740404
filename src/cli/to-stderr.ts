/** Runs fn with stdout's writes sent to stderr: a --json mode keeps stdout for its one line of JSON. */
export async function toStderr<T>(on: boolean, fn: () => Promise<T>): Promise<T> {
  if (!on) return fn();
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

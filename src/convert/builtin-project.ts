/**
 * The conversion job's code: the MLflow Project at `projects/onnx-convert/` of the package (beside `demo/` and
 * `examples/`), read as files and stored through the jobs service. Stored projects are content-addressed, so
 * storing it at every conversion costs one digest when nothing changed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobService } from '../jobs/index.js';

type ProjectFile = Parameters<JobService['storeProject']>[0][number];

/** src/convert/ and dist/convert/ both sit two levels below the package root. */
export function builtinProjectDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'projects', 'onnx-convert');
}

const SKIP = new Set(['__pycache__', '.pytest_cache', '.mypy_cache', '.venv', 'mlruns']);

/** The project's files, paths relative to its folder; caches and compiled Python left out. */
export async function readProjectDir(dir: string): Promise<ProjectFile[]> {
  const out: ProjectFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      if (SKIP.has(e.name) || e.name.endsWith('.pyc')) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) {
        const st = await stat(join(dir, path));
        out.push({ path, data: await readFile(join(dir, path)), executable: (st.mode & 0o111) !== 0 });
      }
    }
  };
  await walk('');
  return out;
}

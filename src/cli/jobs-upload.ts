/** `ferry jobs submit PATH`: a project folder zipped and stored on the server, with progress bars for big folders. */
import cliProgress from 'cli-progress';
import type { FerryClient, JobProject } from '../sdk/index.js';
import { note } from './context.js';
import { bytes } from './data-format.js';
import { listProject, MeteredBlob, zipProject } from './project-zip.js';

/** Below this, zipping and uploading take a blink: no bars. */
const BAR_FROM_BYTES = 4 * 1024 * 1024;

function bar(label: string, total: number, show: boolean): { update(n: number): void; stop(): void } {
  if (!show) return { update: () => {}, stop: () => {} };
  const b = new cliProgress.SingleBar(
    { format: `${label} |{bar}| {percentage}% {done}/{size}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { done: bytes(0), size: bytes(total) });
  let stopped = false;
  const stop = () => {
    if (!stopped) b.stop();
    stopped = true;
  };
  return { update: (n) => (stopped ? undefined : b.update(n, { done: bytes(n) })), stop };
}

/** Zips `folder` in memory and uploads it; answers the stored project (its digest names its files). */
export async function uploadFolder(client: FerryClient, folder: string, quiet: boolean): Promise<JobProject> {
  const listing = await listProject(folder);
  const show = !quiet && process.stderr.isTTY && listing.totalBytes >= BAR_FROM_BYTES;
  if (!quiet && listing.skipped.length) note(`left out: ${listing.skipped.slice(0, 8).join(', ')}${listing.skipped.length > 8 ? ', …' : ''}`);
  if (!quiet && listing.ignored.length) note(`not regular files, left out: ${listing.ignored.join(', ')}`);

  const zipping = bar('zip   ', listing.totalBytes, show);
  const zip = await zipProject(listing, zipping.update).finally(zipping.stop);
  const uploading = bar('upload', zip.length, show);
  const sent = (n: number) => {
    uploading.update(n);
    if (!show || n < zip.length) return;
    // The last byte is out; unpacking and checking a big project takes the server a moment more.
    uploading.stop();
    note('uploaded; the server is checking and storing the project…');
  };
  const project = await client.jobs.uploadProject(new MeteredBlob(zip, sent)).finally(uploading.stop);
  if (!quiet) note(`project ${project.name}: ${project.files} files, ${bytes(project.size_bytes)} (${project.digest.slice(0, 19)}…)`);
  return project;
}

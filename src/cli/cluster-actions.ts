/** What `ferry cluster status` and `ferry deployments traffic` do (definitions: cluster-command.ts). */
import type { Command } from 'commander';
import { clientFor, print, printJson } from './context.js';
import { clusterText, trafficText } from './cluster-format.js';
import type { OutputOptions } from './options.js';

export async function status(o: OutputOptions, cmd: Command): Promise<void> {
  const cluster = await clientFor(cmd).cluster.status();
  if (o.json) return printJson(cluster);
  print(clusterText(cluster, Date.now()));
}

export async function traffic(name: string, o: OutputOptions, cmd: Command): Promise<void> {
  const t = await clientFor(cmd).deployments.traffic(name);
  if (o.json) return printJson(t);
  print(trafficText(t));
}

/**
 * The model references `ferry deploy` takes: `credit:3` (a version) or `credit@champion` (an alias, which the
 * deployment follows when it moves), and canaries `credit:3:10` / `credit@challenger:10` (a percentage of traffic).
 * The parsers are commander option parsers: a bad value reads `option '--canary <...>' argument 'x' is invalid. <why>`.
 */
import { InvalidArgumentError } from 'commander';
import type { DeploymentModelRef, DeploymentRoute } from '../sdk/index.js';

const VERSION_REF = /^([^@:/\s]+):(\d{1,9})$/;
const ALIAS_REF = /^([^@:/\s]+)@([\w-]+)$/;
const PERCENT = /^\d+(\.\d+)?$/;

/** `M:V` or `M@alias` → a model reference. */
export function parseModelRef(text: string): DeploymentModelRef {
  const v = VERSION_REF.exec(text);
  if (v) return { model: v[1]!, version: String(Number(v[2]!)) };
  const a = ALIAS_REF.exec(text);
  if (a) return { model: a[1]!, alias: a[2]! };
  throw new InvalidArgumentError(`'${text}' is not a model reference: use MODEL:VERSION or MODEL@ALIAS.`);
}

/** `M:V:PCT` or `M@alias:PCT` → a route weighted PCT (0 < PCT < 100). */
export function parseCanary(text: string): DeploymentRoute {
  const i = text.lastIndexOf(':');
  const pct = i < 0 ? '' : text.slice(i + 1).replace(/%$/, '');
  const isBareRef = VERSION_REF.test(text) && !VERSION_REF.test(text.slice(0, i)) && !ALIAS_REF.test(text.slice(0, i));
  if (i < 0 || !PERCENT.test(pct) || isBareRef || ALIAS_REF.test(text))
    throw new InvalidArgumentError(`'${text}' needs a traffic percentage at the end: MODEL:VERSION:PCT or MODEL@ALIAS:PCT.`);
  const weight = Number(pct);
  if (!(weight > 0 && weight < 100)) throw new InvalidArgumentError(`the percentage in '${text}' must be more than 0 and less than 100.`);
  return { ...parseModelRef(text.slice(0, i)), weight };
}

/** Repeatable `--canary` values, parsed. */
export function collectCanary(value: string, previous: DeploymentRoute[] | undefined): DeploymentRoute[] {
  return [...(previous ?? []), parseCanary(value)];
}

/** Repeatable `--shadow` values, parsed. */
export function collectShadow(value: string, previous: DeploymentModelRef[] | undefined): DeploymentModelRef[] {
  return [...(previous ?? []), parseModelRef(value)];
}

/** The routes of a deployment: the main one gets what the canaries leave (100 − their sum). */
export function routesOf(main: DeploymentModelRef, canaries: readonly DeploymentRoute[]): DeploymentRoute[] {
  const canaryTotal = canaries.reduce((sum, c) => sum + c.weight, 0);
  const mainWeight = Math.round((100 - canaryTotal) * 1e6) / 1e6;
  if (mainWeight <= 0) throw new Error(`the canary percentages add up to ${Math.round(canaryTotal * 1e6) / 1e6}%; they must leave the main route more than 0%`);
  return [{ ...main, weight: mainWeight }, ...canaries];
}

/** A reference as people write it: `credit:3`, `credit@champion`. */
export function refText(ref: DeploymentModelRef): string {
  return ref.alias !== undefined ? `${ref.model}@${ref.alias}` : `${ref.model}:${ref.version ?? '?'}`;
}

/** A weight as a share of all weights: `90%`, `33.3%`. */
export function percentText(weight: number, total: number): string {
  if (total <= 0) return '';
  return `${Number(((weight / total) * 100).toFixed(1))}%`;
}

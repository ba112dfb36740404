/**
 * `ferry models card|card-edit|report`: a version's model card generated from stored facts, the authored fields
 * behind it, and the validation report zip. Definitions only; cards-actions.ts does the work. Added to the `models`
 * command that models-command.ts defines.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { CardOptions, EditOptions, ReportOptions } from './cards-actions.js';
import { collect } from './options.js';

const actions = () => import('./cards-actions.js');

const FORMATS = ['json', 'md', 'html', 'mct', 'hf'];

function format(value: string): string {
  if (!FORMATS.includes(value)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
  return value;
}

export function registerCardsCommands(program: Command): void {
  const models = program.commands.find((c) => c.name() === 'models');
  if (!models) throw new Error('The models command must be registered before its card subcommands.');
  models
    .command('card')
    .description("A model version's card, generated from stored facts (without --format: a table of its sections)")
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .option('--format <format>', 'md | html | json | mct | hf: the rendered card (to stdout, or --out)', format)
    .option('--out <file>', 'write the rendered card to this file (default format: md)')
    .option('--generated-at', 'include the render time in the card (it then differs between renders)')
    .option('--json', "print the card's JSON")
    .action(async (name: string, version: string, opts: CardOptions, cmd: Command) => (await actions()).card(name, version, opts, cmd));
  models
    .command('card-edit')
    .description("Set or clear a model's authored card fields (or one version's, with --model-version)")
    .argument('<name>', 'registered model name')
    .option('--model-version <version>', 'set the fields for this version only (it overrides the model’s)')
    .option('--intended-use <text>', 'what the model is for')
    .option('--out-of-scope <text>', 'uses it must not be put to')
    .option('--users <text>', 'who is meant to use it')
    .option('--owner <text>', 'the owning person or team')
    .option('--contact <text>', 'how to reach the owner')
    .option('--limitations <text>', 'known limitations')
    .option('--ethical-considerations <text>', 'ethical considerations and mitigations')
    .option(
      '--clear <field>',
      'clear a field (intended_use, out_of_scope_uses, users, owner, contact, limitations, ethical_considerations); repeatable',
      collect,
    )
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: EditOptions, cmd: Command) => (await actions()).edit(name, opts, cmd));
  models
    .command('report')
    .description("A model version's validation report: a zip of the card (JSON, HTML, Markdown), the test log and SHA256SUMS")
    .argument('<name>', 'registered model name')
    .argument('<version>', 'model version')
    .requiredOption('--out <file>', 'the zip file to write')
    .option('--json', 'print {file, bytes, sha256} as JSON')
    .action(async (name: string, version: string, opts: ReportOptions, cmd: Command) => (await actions()).report(name, version, opts, cmd));
}

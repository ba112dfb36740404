import { randomInt } from 'node:crypto';

// Like MLflow, an unnamed run gets a memorable "adjective-noun-number" name.
const ADJECTIVES = [
  'amber',
  'bold',
  'brisk',
  'calm',
  'clever',
  'crisp',
  'dapper',
  'eager',
  'fleet',
  'gentle',
  'glad',
  'keen',
  'lucid',
  'merry',
  'nimble',
  'quiet',
  'rapid',
  'sunny',
  'tidy',
  'vivid',
  'wise',
  'zesty',
];
const NOUNS = [
  'otter',
  'heron',
  'lynx',
  'badger',
  'falcon',
  'ferret',
  'gecko',
  'ibis',
  'koala',
  'lark',
  'marten',
  'newt',
  'orca',
  'panda',
  'quail',
  'robin',
  'seal',
  'tern',
  'vole',
  'wren',
  'yak',
  'zebra',
];

export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}

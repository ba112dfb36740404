// Lets pytest run Ferry's compiled offline gate (dist/loops/gate) on rows it also feeds to scikit-learn / numpy:
// reads one JSON object {sources, config} on stdin, prints the gate's evidence as JSON, or {error, field} on a
// refusal. FERRY_DIST points at another compiled tree (default: the repository's dist/).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = process.env.FERRY_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { evaluateGate, gateReason } = await import(pathToFileURL(join(DIST, 'loops', 'gate', 'index.js')).href);

const { sources, config } = JSON.parse(readFileSync(0, 'utf8'));
try {
  const evidence = evaluateGate(sources, config);
  // The reason must re-render from the evidence alone, after a JSON round trip.
  const again = gateReason(JSON.parse(JSON.stringify(evidence)));
  process.stdout.write(JSON.stringify({ evidence, again }));
} catch (err) {
  if (err?.name !== 'InvalidParameterError') throw err;
  process.stdout.write(JSON.stringify({ error: err.message, field: err.errors?.[0]?.field ?? null }));
}

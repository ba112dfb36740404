/**
 * Python's shlex.quote, which `mlflow run` uses for parameter values: safe characters pass as they are,
 * anything else goes in single quotes (a single quote inside becomes '"'"'). A value can then never end the
 * word it is in: `; rm -rf /`, `$(…)`, backticks and newlines reach the program as text.
 */
const UNSAFE = /[^\w@%+=:,./-]/;

export function shellQuote(s: string): string {
  if (s === '') return "''";
  // \w in Python 3's shlex is ASCII-only (re.ASCII); JavaScript's \w is ASCII too.
  if (!UNSAFE.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

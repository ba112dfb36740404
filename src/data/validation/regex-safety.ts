// Regexes come from users and run against every value of a column, so a pattern that backtracks
// exponentially could stall the server. JavaScript has no linear-time engine built in; instead we refuse
// the classic shape of catastrophic backtracking — a repeated group whose body itself repeats, like
// (a+)+, (\w*)*, (x{1,9}){2,} — and bound the length of the text each value is tested on
// (MAX_REGEX_INPUT). This is a heuristic: it cannot see every risky pattern (e.g. overlapping
// alternatives under a star, (a|a)*), so the input bound is the real limit on the work per value.

export const MAX_REGEX_LENGTH = 1000;
/** Values longer than this are not tested; they count as unexpected (see docs/data-validation.md). */
export const MAX_REGEX_INPUT = 4096;

interface Quantifier {
  /** Index just past the quantifier (and its lazy '?'). */
  end: number;
  /** It can repeat its atom a variable number of times, more than once. */
  repeats: boolean;
}

/** The quantifier starting at i, if any. */
function quantifierAt(p: string, i: number): Quantifier | null {
  const c = p[i];
  let end: number;
  let repeats: boolean;
  if (c === '*' || c === '+' || c === '?') {
    end = i + 1;
    repeats = c !== '?';
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 24));
    if (m === null) return null; // a literal '{'
    end = i + m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    // A fixed count ({3}) matches one way only; only a variable count can split text ambiguously.
    repeats = max > 1 && max > min;
  } else {
    return null;
  }
  if (p[end] === '?') end++;
  return { end, repeats };
}

/** Why the pattern is refused, or null when it passes the heuristic. */
export function nestedRepetition(p: string): string | null {
  // One frame per open group: does its body contain a repeating quantifier?
  const stack: boolean[] = [false];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      i++;
      while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      stack.push(false);
      i++;
      continue; // a group opener is never quantified itself
    } else if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : false;
      const q = quantifierAt(p, i + 1);
      if (q?.repeats && inner) {
        return `a repeated group contains a repetition (near position ${i}), which can backtrack catastrophically; rewrite it without nesting`;
      }
      if (inner || q?.repeats) stack[stack.length - 1] = true;
      i = q ? q.end : i + 1;
      continue;
    } else {
      i++;
    }
    // The atom just passed (a character, an escape or a class) may carry a quantifier.
    const q = quantifierAt(p, i);
    if (q) {
      if (q.repeats) stack[stack.length - 1] = true;
      i = q.end;
    }
  }
  return null;
}

/** Compiles a user pattern; throws Error with the reason when it is refused. */
export function compileUserRegex(pattern: string): RegExp {
  if (pattern.length > MAX_REGEX_LENGTH) throw new Error(`the pattern is longer than ${MAX_REGEX_LENGTH} characters`);
  let re: RegExp;
  try {
    // No flags: GE's match_regex is Python's re.search (unanchored, case-sensitive); test() searches too.
    re = new RegExp(pattern);
  } catch (err) {
    throw new Error(`not a valid (JavaScript) regular expression: ${(err as Error).message}`);
  }
  const risky = nestedRepetition(pattern);
  if (risky !== null) throw new Error(risky);
  return re;
}

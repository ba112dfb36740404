// Column-map expectations (GE's ColumnMapExpectation): a test per value, streamed batch by batch.
// Memory per expectation is the counts plus the first `partialCount` unexpected values — except
// uniqueness, which needs the fingerprints of all values seen (hash-set.ts, bounded by maxDistinct).
import { FULL, FingerprintSet, REPEAT_FIRST } from './hash-set.js';
import { inRange, rangeFor, reportValue, textOf, typedSet, valueAt, type Range, type Scalar } from './column-values.js';
import { MAX_REGEX_INPUT, compileUserRegex } from './regex-safety.js';
import { PartialList, columnMapResult, exceptionResult } from './result.js';
import type { ColumnSchema, Expectation, ExpectationOf, ExpectationResult, TableBatch } from './types.js';

export interface Evaluator {
  consume(batch: TableBatch): void;
  finish(rows: number): ExpectationResult;
}

/** Counts, nulls and partial list; subclasses say which non-null values are unexpected. */
export abstract class ColumnMap implements Evaluator {
  protected element = 0;
  protected missing = 0;
  protected unexpected = 0;
  protected readonly partial: PartialList;

  constructor(
    protected readonly e: Expectation,
    protected readonly col: ColumnSchema,
    partialCount: number,
    protected readonly mostly?: number,
  ) {
    this.partial = new PartialList(partialCount);
  }

  /** true when the non-null value v (at row, line) is unexpected. */
  protected abstract check(v: Scalar, row: number, line: number): boolean;

  consume(batch: TableBatch): void {
    const values = batch.columns[this.col.name];
    const { firstRow, rows, lines } = batch;
    for (let i = 0; i < rows; i++) {
      // A column absent from a batch (e.g. a JSON Lines record without the key) is null there.
      const v = values === undefined ? null : valueAt(values, i);
      this.element++;
      if (v === null) {
        this.onNull(firstRow + i, lines ? lines[i] : 0);
      } else if (this.check(v, firstRow + i, lines ? lines[i] : 0)) {
        this.unexpected++;
        this.partial.push(reportValue(this.col.type, v), firstRow + i, lines ? lines[i] : 0);
      }
    }
  }

  protected onNull(_row: number, _line: number): void {
    this.missing++;
  }

  finish(_rows: number): ExpectationResult {
    return columnMapResult(this.e, { element: this.element, missing: this.missing, unexpected: this.unexpected }, this.partial, this.mostly);
  }
}

/** not_null: the nulls are the unexpected values (and are not "missing"). */
class NotNull extends ColumnMap {
  protected check(): boolean {
    return false;
  }
  protected override onNull(row: number, line: number): void {
    this.unexpected++;
    this.partial.push(null, row, line);
  }
}

class Between extends ColumnMap {
  constructor(
    e: Expectation,
    col: ColumnSchema,
    n: number,
    mostly: number | undefined,
    private readonly range: Range,
  ) {
    super(e, col, n, mostly);
  }
  protected check(v: Scalar): boolean {
    return typeof v !== 'number' || !inRange(v, this.range);
  }
}

class InSet extends ColumnMap {
  private readonly set: Set<Scalar>;
  constructor(e: ExpectationOf<'expect_column_values_to_be_in_set'>, col: ColumnSchema, n: number) {
    super(e, col, n, e.kwargs.mostly);
    this.set = typedSet(col.type, e.kwargs.value_set);
  }
  protected check(v: Scalar): boolean {
    return !this.set.has(v);
  }
}

class MatchRegex extends ColumnMap {
  private readonly re: RegExp;
  private tooLong = 0;
  constructor(e: ExpectationOf<'expect_column_values_to_match_regex'>, col: ColumnSchema, n: number) {
    super(e, col, n, e.kwargs.mostly);
    this.re = compileUserRegex(e.kwargs.regex);
  }
  protected check(v: Scalar): boolean {
    const text = textOf(this.col.type, v);
    // Not tested at all: bounds the regex engine's work per value (regex-safety.ts); counted unexpected.
    if (text.length > MAX_REGEX_INPUT) {
      this.tooLong++;
      return true;
    }
    return !this.re.test(text);
  }
  override finish(rows: number): ExpectationResult {
    const r = super.finish(rows);
    if (this.tooLong > 0) r.result.details = { values_too_long_to_test: this.tooLong, max_tested_length: MAX_REGEX_INPUT };
    return r;
  }
}

/**
 * unique: as GE (pandas duplicated(keep=False)), every occurrence of a repeated value is unexpected,
 * the first one included. Streaming finds a repeat after its first occurrence has passed, so the table
 * remembers each value's first row and reports it when the second arrives: the partial list is in the
 * order found (first occurrence, then each repeat), not strictly by row.
 */
class Unique extends ColumnMap {
  private readonly seen: FingerprintSet;
  private full = false;
  constructor(e: Expectation, col: ColumnSchema, n: number, mostly: number | undefined, maxDistinct: number) {
    super(e, col, n, mostly);
    this.seen = new FingerprintSet(maxDistinct, true);
  }
  protected check(v: Scalar, row: number, line: number): boolean {
    if (this.full) return false;
    const outcome = this.seen.add(v, row, line);
    if (outcome === FULL) {
      this.full = true;
      return false;
    }
    if (outcome === REPEAT_FIRST) {
      this.unexpected++;
      this.partial.push(reportValue(this.col.type, v), this.seen.lastFirstRow, this.seen.lastFirstLine);
    }
    return outcome !== 0;
  }
  override finish(rows: number): ExpectationResult {
    if (this.full) {
      return exceptionResult(
        this.e,
        `column '${this.col.name}' has more than ${this.seen.maxValues} distinct values: uniqueness was not checked (raise maxDistinct to check it)`,
      );
    }
    return super.finish(rows);
  }
}

export interface MapOptions {
  partialCount: number;
  maxDistinct: number;
}

/** The evaluator of a column-map expectation; throws Error (→ exception_info) when it cannot apply. */
export function columnMapEvaluator(e: Expectation, col: ColumnSchema, opts: MapOptions): Evaluator | null {
  const n = opts.partialCount;
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return new NotNull(e, col, n, e.kwargs.mostly);
    case 'expect_column_values_to_be_between':
      return new Between(e, col, n, e.kwargs.mostly, rangeFor(e.kwargs, col.type));
    case 'expect_column_values_to_be_in_set':
      return new InSet(e, col, n);
    case 'expect_column_values_to_match_regex':
      return new MatchRegex(e, col, n);
    case 'expect_column_values_to_be_unique':
      return new Unique(e, col, n, e.kwargs.mostly, opts.maxDistinct);
    default:
      return null;
  }
}

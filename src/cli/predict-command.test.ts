import { describe, expect, it } from 'vitest';
import { batchErrorMessage, parseRecord } from './predict-command.js';

describe('predict --file helpers', () => {
  it('reads one JSON object per line, naming the line when it is not one', () => {
    expect(parseRecord('{"age": 41, "purpose": "car"}', 'rows.jsonl line 1')).toEqual({ age: 41, purpose: 'car' });
    expect(() => parseRecord('{"age": 41', 'rows.jsonl line 2')).toThrow(/^rows\.jsonl line 2: .*JSON/);
    expect(() => parseRecord('[41, "car"]', 'rows.jsonl line 3')).toThrow('rows.jsonl line 3: expected a JSON object (one record per line), got an array');
    expect(() => parseRecord('42', 'rows.jsonl line 4')).toThrow('rows.jsonl line 4: expected a JSON object (one record per line), got 42');
    expect(() => parseRecord('null', 'x line 5')).toThrow('got null');
  });

  it("turns the server's batch row into the file's line", () => {
    const lines = [3, 4, 7]; // line 5-6 were blank
    expect(batchErrorMessage('rows.jsonl', lines, "Row 2: feature 'age' must be a number, got \"x\".")).toBe("rows.jsonl line 7: feature 'age' must be a number, got \"x\".");
    expect(batchErrorMessage('rows.jsonl', lines, 'Row 9: out of range')).toBe('rows.jsonl lines 3-7: Row 9: out of range');
    expect(batchErrorMessage('rows.jsonl', lines, "Deployment 'x' does not exist.")).toBe("rows.jsonl lines 3-7: Deployment 'x' does not exist.");
    expect(batchErrorMessage('stdin', [12], 'too many rows')).toBe('stdin line 12: too many rows');
  });
});

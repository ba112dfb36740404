import { describe, expect, it } from 'vitest';
import { metricRows, pairedInputs, rowInput, unscorable } from './predictions.js';

describe('gate predictions', () => {
  const clf = { label: 1, probabilities: [0.3, 0.7] };

  it("reads skl2onnx's label and probabilities", () => {
    expect(rowInput('accuracy', 1, clf)).toEqual({ ok: true, value: 1 });
    expect(rowInput('log_loss', 0, clf)).toEqual({ ok: true, value: 0.3 });
    expect(rowInput('roc_auc', 0, clf)).toEqual({ ok: true, value: 0.7, positive: false });
    expect(rowInput('roc_auc', true, clf)).toEqual({ ok: true, value: 0.7, positive: true });
  });

  it('reads a ZipMap of class → probability, the greatest class positive', () => {
    const out = { label: 'yes', output_probability: { no: 0.2, yes: 0.8 } };
    expect(rowInput('log_loss', 'no', out)).toEqual({ ok: true, value: 0.2 });
    expect(rowInput('roc_auc', 'no', out)).toEqual({ ok: true, value: 0.8, positive: false });
    expect(rowInput('roc_auc', 2, { label: 2, p: { 10: 0.4, 2: 0.6 } })).toEqual({ ok: true, value: 0.4, positive: false });
  });

  it('reads a regressor, a one-element list too', () => {
    expect(rowInput('mae', 10, { variable: 12.5 })).toEqual({ ok: true, value: 12.5 });
    expect(rowInput('rmse', 10, { variable: [12.5] })).toEqual({ ok: true, value: 12.5 });
  });

  it('says why a row cannot give a metric', () => {
    expect(rowInput('accuracy', '1', clf)).toEqual({ ok: false, reason: 'the predicted label is a number but the truth is a string' });
    expect(rowInput('log_loss', 1, { label: 1 })).toEqual({ ok: false, reason: 'the model answers no class probabilities' });
    expect(rowInput('log_loss', 2, clf)).toEqual({ ok: false, reason: "the truth does not index the model's 2 class probabilities" });
    expect(rowInput('log_loss', 0, { label: 1, probabilities: [1.2, -0.2] })).toMatchObject({ ok: false, reason: expect.stringContaining('outside [0, 1]') });
    expect(rowInput('roc_auc', 1, { label: 1, probabilities: [0.2, 0.3, 0.5] })).toEqual({
      ok: false,
      reason: 'roc_auc needs a binary model; this one answers 3 class probabilities',
    });
    expect(rowInput('mae', 'high', { variable: 1 })).toEqual({ ok: false, reason: 'the truth is a string, not a number' });
    expect(rowInput('mae', 1, { label: 'x' })).toEqual({ ok: false, reason: 'the model answers no numeric prediction' });
    expect(rowInput('accuracy', Number.NaN, clf)).toMatchObject({ ok: false, reason: expect.stringContaining('not a label or a finite number') });
    expect(rowInput('accuracy', 1, null)).toEqual({ ok: false, reason: 'the model gave no outputs for the row' });
  });

  it('counts unscorable rows by model and reason, and pairs only rows both models score', () => {
    const truth = [0, 1, 1, 0];
    const cand = [clf, { label: 1 }, clf, { label: 0 }];
    const champ = [clf, clf, { label: 1, probabilities: [0.5, 0.5, 0] }, clf];
    const rows = metricRows('roc_auc', truth, cand, champ);
    expect(unscorable(rows)).toEqual([
      { metric: 'roc_auc', model: 'candidate', reason: 'the model answers no class probabilities', count: 2, examples: [1, 3] },
      { metric: 'roc_auc', model: 'champion', reason: 'roc_auc needs a binary model; this one answers 3 class probabilities', count: 1, examples: [2] },
    ]);
    expect(pairedInputs(rows, truth, [0, 1, 2, 3])).toEqual({ rows: 1, yTrue: [0], candidate: [0.7], champion: [0.7], dropped: 3, positives: 0 });
    const ll = pairedInputs(metricRows('log_loss', truth, [clf, clf], null), truth, [0, 1]);
    expect(ll).toEqual({ rows: 2, yTrue: [1, 1], candidate: [0.3, 0.7], champion: null, dropped: 0, positives: null });
  });
});

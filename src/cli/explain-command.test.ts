import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { explainBody, formatExplanation } from './explain-actions.js';
import { registerExplainCommands } from './explain-command.js';

describe('ferry … explain', () => {
  it('builds the request from the flags, refusing what the server would', async () => {
    expect(
      await explainBody({
        row: ['{"age": 41, "purpose": "car"}'],
        background: 'credit-train@2',
        backgroundRows: 50,
        method: 'kernel',
        maxEvaluations: 1000,
        seed: 4,
      }),
    ).toEqual({
      instances: [{ age: 41, purpose: 'car' }],
      background: { dataset: 'credit-train', version: '2', rows: 50 },
      method: 'kernel',
      budget: { max_evaluations: 1000 },
      seed: 4,
    });
    await expect(explainBody({})).rejects.toThrow(/--row/);
    await expect(explainBody({ row: ['[1]'] })).rejects.toThrow(/JSON object/);
    await expect(explainBody({ row: ['{}'], background: 'credit-train' })).rejects.toThrow(/DATASET@VERSION/);
    await expect(explainBody({ row: ['{}'], backgroundRows: 5 })).rejects.toThrow(/needs --background/);
  });

  it('prints features by |φ|, one column per output', () => {
    const text = formatExplanation(
      {
        method: 'exact',
        output_space: 'probability',
        outputs: ['p[0]', 'p[1]'],
        base_values: [0.7, 0.3],
        explanations: [
          {
            attributions: [
              { age: 0.05, income: -0.2 },
              { age: -0.05, income: 0.2 },
            ],
            prediction: [0.55, 0.45],
          },
        ],
        model: 'credit',
        model_version: '1',
        background: { dataset: 'credit-train', version: '1', rows: 100, digest: 'x', source: 'training_data' },
        evaluations: 1234,
        truncated: false,
        additivity_max_error: 0,
      },
      [{ age: 41, income: 1000 }],
    );
    expect(text).toContain('credit-train@1 (100 rows, training data)');
    expect(text).toContain('φ p[1]');
    expect(text.indexOf('income')).toBeLessThan(text.lastIndexOf('age'));
  });

  it('registers under deployments and models', () => {
    const program = new Command();
    program.command('deployments');
    program.command('models');
    registerExplainCommands(program);
    const sub = (c: string) => program.commands.find((x) => x.name() === c)!.commands.map((x) => x.name());
    expect(sub('deployments')).toEqual(['explain']);
    expect(sub('models')).toEqual(['explain', 'importance']);
  });
});

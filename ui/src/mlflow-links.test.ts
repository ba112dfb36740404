import { describe, expect, it } from 'vitest';
import { ferryTargetForMlflowPath } from './mlflow-links.js';
import { parseHash } from './router.js';

/** What a link the mlflow client prints opens, as the shell sees it (the hash of the URL). */
const target = (url: string) => ferryTargetForMlflowPath(parseHash(new URL(url).hash).path);

describe('links in MLflow form', () => {
  it('sends the run link the mlflow client prints to the run page', () => {
    // mlflow 3.x, tracking/_tracking_service/client.py `_log_url`.
    expect(target('http://127.0.0.1:5050/#/experiments/3/runs/0123abcd')).toBe('#/runs/0123abcd');
    expect(target('http://127.0.0.1:5050/#/experiments/3/runs/0123abcd?workspace=team%20a')).toBe('#/runs/0123abcd');
    expect(target('http://127.0.0.1:5050/#/experiments/3/runs/0123abcd/')).toBe('#/runs/0123abcd');
  });

  it('maps MLflow run sub-pages to the run tab that shows the same thing', () => {
    expect(target('http://h/#/experiments/3/runs/r1/model-metrics')).toBe('#/runs/r1?tab=metrics');
    expect(target('http://h/#/experiments/3/runs/r1/system-metrics')).toBe('#/runs/r1?tab=metrics');
    expect(target('http://h/#/experiments/3/runs/r1/artifacts/model/MLmodel')).toBe('#/runs/r1?tab=artifacts');
    expect(target('http://h/#/experiments/3/runs/r1/artifactPath/model')).toBe('#/runs/r1?tab=artifacts');
    expect(target('http://h/#/experiments/3/runs/r1/overview')).toBe('#/runs/r1');
    expect(target('http://h/#/experiments/3/runs/r1/traces')).toBe('#/runs/r1');
  });

  it("sends an experiment's MLflow tabs to the experiment", () => {
    expect(target('http://h/#/experiments/3/runs')).toBe('#/experiments/3');
    expect(target('http://h/#/experiments/3/overview/usage')).toBe('#/experiments/3');
    expect(target('http://h/#/experiments/3/traces?workspace=x')).toBe('#/experiments/3');
  });

  it('keeps ids that need encoding intact', () => {
    expect(target('http://h/#/experiments/3/runs/a%2Fb')).toBe('#/runs/a%2Fb');
  });

  it('leaves everything else alone', () => {
    expect(target('http://h/#/runs/r1')).toBeNull();
    expect(target('http://h/#/nowhere')).toBeNull();
    expect(target('http://h/#/experiments')).toBeNull();
    expect(target('http://h/#/models/m/versions/1')).toBeNull();
  });
});

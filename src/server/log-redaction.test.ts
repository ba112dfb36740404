import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.js';

describe('redactUrl', () => {
  it('replaces the values of credential-like query parameters, whatever their case or encoding', () => {
    expect(redactUrl('/api/v1/jobs/projects/abc/source.zip?expires=1700000000000&signature=deadbeef')).toBe(
      '/api/v1/jobs/projects/abc/source.zip?expires=1700000000000&signature=[redacted]',
    );
    expect(redactUrl('/x?Token=t1&a=1&access_token=t2&%70assword=p&secret=s&b')).toBe(
      '/x?Token=[redacted]&a=1&access_token=[redacted]&%70assword=[redacted]&secret=[redacted]&b',
    );
  });

  it('leaves other URLs as they are, a malformed one included', () => {
    expect(redactUrl('/api/2.0/mlflow/runs/get?run_id=abc')).toBe('/api/2.0/mlflow/runs/get?run_id=abc');
    expect(redactUrl('/health')).toBe('/health');
    expect(redactUrl('/x?%E0%A4%A=1&token')).toBe('/x?%E0%A4%A=1&token');
  });
});

/** FERRY_EXTERNAL_URL is the base of the links in Alertmanager bodies: every link built on it must be a link into Ferry. */
import { expect, it } from 'vitest';
import { alertmanagerBody, externalUrlFromEnv } from './alertmanager-payload.js';

it('refuses a FERRY_EXTERNAL_URL whose query or fragment would swallow the links built on it', () => {
  expect(() => externalUrlFromEnv({ FERRY_EXTERNAL_URL: 'https://ferry.example.com/?team=ml' })).toThrow(/FERRY_EXTERNAL_URL/);
  expect(() => externalUrlFromEnv({ FERRY_EXTERNAL_URL: 'https://ferry.example.com/#/home' })).toThrow(/FERRY_EXTERNAL_URL/);
  const base = externalUrlFromEnv({ FERRY_EXTERNAL_URL: 'https://ferry.example.com/base/' });
  const body = alertmanagerBody(
    { group_key: 'k', deployment: 'd', status: 'firing' },
    [
      {
        rule: 'r',
        rule_id: '1',
        metric: 'error_rate',
        comparison: '>',
        threshold: 0.1,
        severity: 'warning',
        labels: {},
        state: 'firing',
        value: 0.2,
        starts_at: 0,
        fingerprint: 'f',
      },
    ],
    'ferry',
    base,
  );
  expect(new URL(body.alerts[0]!.generatorURL).pathname).toBe('/base/');
  expect(new URL(body.alerts[0]!.generatorURL).hash).toBe('#/alerts');
});

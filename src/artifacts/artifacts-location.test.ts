import { describe, expect, it } from 'vitest';
import { describeLocation, parseArtifactsLocation } from './artifacts-location.js';
import { s3ClientSettings } from './s3-client.js';

const refusal = (raw: string) => {
  try {
    parseArtifactsLocation(raw);
  } catch (err) {
    return err as { code: string; message: string; errors: { field: string }[] };
  }
  throw new Error(`'${raw}' was accepted`);
};

describe('the artifacts location', () => {
  it('is a folder (absolute) or an s3:// URL with optional endpoint, region and path style', () => {
    expect(parseArtifactsLocation('/srv/ferry/artifacts')).toEqual({ kind: 'local', dir: '/srv/ferry/artifacts' });
    expect(parseArtifactsLocation('s3://ml-artifacts')).toEqual({ kind: 's3', bucket: 'ml-artifacts', prefix: '' });
    expect(parseArtifactsLocation('s3://ml-artifacts/')).toEqual({ kind: 's3', bucket: 'ml-artifacts', prefix: '' });
    expect(parseArtifactsLocation('s3://ml.artifacts/team/ferry/')).toEqual({ kind: 's3', bucket: 'ml.artifacts', prefix: 'team/ferry' });
    expect(parseArtifactsLocation('s3://b01/p?endpoint=http://127.0.0.1:9000&region=eu-west-1&path_style=false')).toEqual({
      kind: 's3',
      bucket: 'b01',
      prefix: 'p',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
    expect(parseArtifactsLocation('s3://b01/p?endpoint=http%3A%2F%2Fminio.internal%3A9000%2F')).toMatchObject({ endpoint: 'http://minio.internal:9000' });
  });

  it.each([
    ['relative/folder', /absolute path/],
    ['', /empty/],
    ['gs://bucket/x', /scheme 'gs:' is not supported/],
    ['s3://AB/x', /not a valid S3 bucket name/],
    ['s3://a/x', /not a valid S3 bucket name/],
    ['s3://bucket:9000/x', /no port/],
    ['s3://bucket/../x', /prefix/],
    ['s3://bucket/x?endpoint=ftp://h', /http:\/\/ or https:\/\//],
    ['s3://bucket/x?endpoint=nope', /not a URL/],
    ['s3://bucket/x?path_style=yes', /path_style must be true or false/],
    ['s3://bucket/x?region=US%20East', /not a region name/],
    ['s3://bucket/x?secret=1', /unknown parameter 'secret'/],
  ])('refuses %j, naming artifacts', (raw, message) => {
    const err = refusal(raw);
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.errors[0]?.field).toBe('artifacts');
    expect(err.message).toMatch(message);
  });

  it('refuses credentials in the URL without repeating them, and points at the AWS variables', () => {
    for (const raw of ['s3://AKIAEXAMPLE:s3cr3tValue@bucket/x', 's3://bucket/x?endpoint=http://AKIAEXAMPLE:s3cr3tValue@127.0.0.1:9000']) {
      const err = refusal(raw);
      expect(err.errors[0]?.field).toBe('artifacts');
      expect(err.message).toMatch(/AWS_ACCESS_KEY_ID/);
      expect(err.message).not.toMatch(/s3cr3tValue|AKIAEXAMPLE/);
    }
  });

  it('describes a location without anything secret', () => {
    expect(describeLocation(parseArtifactsLocation('s3://bucket/p?endpoint=http://127.0.0.1:9000'))).toBe('s3://bucket/p at http://127.0.0.1:9000');
  });

  it('takes the endpoint and region from the AWS variables, path style by default with an endpoint', () => {
    const loc = parseArtifactsLocation('s3://bucket/p');
    if (loc.kind !== 's3') throw new Error('expected s3');
    expect(s3ClientSettings(loc, {})).toEqual({ forcePathStyle: false });
    expect(s3ClientSettings(loc, { AWS_REGION: 'eu-central-1' })).toEqual({ region: 'eu-central-1', forcePathStyle: false });
    expect(s3ClientSettings(loc, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect(s3ClientSettings(loc, { AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'http://s3.internal:9000', AWS_REGION: 'x-1' })).toEqual({
      endpoint: 'http://s3.internal:9000',
      region: 'x-1',
      forcePathStyle: true,
    });
    const explicit = parseArtifactsLocation('s3://bucket/p?endpoint=http://h:1&region=r-1&path_style=false');
    if (explicit.kind !== 's3') throw new Error('expected s3');
    expect(s3ClientSettings(explicit, { AWS_ENDPOINT_URL: 'http://other:2', AWS_REGION: 'other' })).toEqual({
      endpoint: 'http://h:1',
      region: 'r-1',
      forcePathStyle: false,
    });
    expect(() => s3ClientSettings(loc, { AWS_ENDPOINT_URL_S3: 'http://k:secretvalue@h:1' })).toThrow(/AWS_ENDPOINT_URL_S3 must not carry credentials/);
  });
});

import { describe, expect, it } from 'vitest';
import { REDACTED, SecretScrubber, redactBody, redactHeaders, redactPath } from './redact.js';

describe('redaction', () => {
  it('redacts credential headers whatever their case', () => {
    expect(
      redactHeaders({
        Authorization: 'PVEAPIToken=a@pam!b=secret',
        cookie: 'TOKEN=x',
        'X-API-KEY': 'k',
        'x-csrf-token': 'c',
        CSRFPreventionToken: 'c',
        accept: 'application/json',
      }),
    ).toEqual({
      Authorization: REDACTED,
      cookie: REDACTED,
      'X-API-KEY': REDACTED,
      'x-csrf-token': REDACTED,
      CSRFPreventionToken: REDACTED,
      accept: 'application/json',
    });
  });

  it('redacts secret body and query fields, nested ones and extra ones', () => {
    expect(
      redactBody({ username: 'root@pam', password: 'p', nested: [{ tokenSecret: 's' }], value: 'v' }, ['value']),
    ).toEqual({
      username: 'root@pam',
      password: REDACTED,
      nested: [{ tokenSecret: REDACTED }],
      value: REDACTED,
    });
    expect(redactPath('/access/ticket?username=root%40pam&password=hunter22')).toBe(
      '/access/ticket?username=root%40pam&password=%5BREDACTED%5D',
    );
  });

  it('scrubs remembered secrets, URL-encoded ones too, from any text', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('s3cr3t/value');
    expect(scrubber.scrub('got s3cr3t/value and s3cr3t%2Fvalue')).toBe(`got ${REDACTED} and ${REDACTED}`);
    expect(scrubber.scrubValue({ a: ['s3cr3t/value'] })).toEqual({ a: [REDACTED] });
  });
});

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

  const PASSWORDS = ['pass word', 'pa+ss', 'a&b=c', 'quo"te', 'back\\slash', '<p&q>'];

  it.each(PASSWORDS)(
    'scrubs %j raw, as a URI component, form-encoded (both ways of writing a space), JSON-escaped and in base64',
    (secret) => {
      const scrubber = new SecretScrubber();
      scrubber.add(secret);
      const form = new URLSearchParams({ username: 'root@pam', password: secret }).toString();
      const encodings = [
        secret,
        encodeURIComponent(secret),
        form,
        form.replaceAll('+', '%20'),
        JSON.stringify({ password: secret }),
        JSON.stringify({ password: secret })
          .replaceAll('&', '\\u0026')
          .replaceAll('<', '\\u003c')
          .replaceAll('>', '\\u003e'),
        `Basic ${Buffer.from(`root@pam:${secret}`).toString('base64')}`,
        `Basic ${Buffer.from(`ops:${secret}`).toString('base64')}`,
        `Basic ${Buffer.from(`x:${secret}`).toString('base64')}`,
      ];
      for (const text of encodings) {
        const scrubbed = scrubber.scrub(`server said: ${text}`);
        expect(scrubbed).toContain(REDACTED);
        expect(scrubbed).not.toContain(text);
      }
    },
  );

  it('scrubs a secret shorter than 4 characters where it stands alone, and leaves words that contain it', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('a1');
    expect(scrubber.scrub("password 'a1' rejected; password=a1; a1b2 and ba1 stay")).toBe(
      `password '${REDACTED}' rejected; password=${REDACTED}; a1b2 and ba1 stay`,
    );
  });

  it('redacts a short secret in a known position whatever its length', () => {
    expect(redactBody({ password: 'a', token: 'b', secret: 'c' })).toEqual({
      password: REDACTED,
      token: REDACTED,
      secret: REDACTED,
    });
    expect(redactPath('/login?token=x&user=me')).toBe(`/login?token=${encodeURIComponent(REDACTED)}&user=me`);
    expect(redactHeaders({ authorization: 'Basic YTpi' })).toEqual({ authorization: REDACTED });
  });
});

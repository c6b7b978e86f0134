import { signUnsubscribe, verifyUnsubscribe } from './unsubscribe-token';

describe('unsubscribe tokens', () => {
  const secret = 'test-secret-0123456789';

  it('round-trips one rule and a list of rules', () => {
    expect(verifyUnsubscribe(secret, signUnsubscribe(secret, 7, 'A@Example.com'))).toEqual({
      ruleIds: [7],
      email: 'a@example.com',
    });
    expect(verifyUnsubscribe(secret, signUnsubscribe(secret, [9, 3, 9], 'b@x.test'))).toEqual({
      ruleIds: [3, 9],
      email: 'b@x.test',
    });
  });

  it('refuses forged, truncated or re-signed tokens', () => {
    const token = signUnsubscribe(secret, [1, 2], 'b@x.test');
    const [payload, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ r: [1, 2, 3], e: 'b@x.test' })).toString(
      'base64url',
    );
    expect(verifyUnsubscribe(secret, `${forged}.${sig}`)).toBeNull();
    expect(verifyUnsubscribe(secret, payload)).toBeNull();
    expect(verifyUnsubscribe('other-secret-0123456789', token)).toBeNull();
    expect(verifyUnsubscribe(secret, `${token}.x`)).toBeNull();
  });

  it('refuses to sign no rule', () => {
    expect(() => signUnsubscribe(secret, [], 'b@x.test')).toThrow(RangeError);
  });
});

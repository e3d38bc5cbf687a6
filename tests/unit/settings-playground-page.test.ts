import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Settings } from '../../lib/background/settings';

/** `playgroundPage`: the demo page `npm run demo` stores for onboarding's "Try a test payment" link. */
describe('settings: the playground page', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps a loopback http(s) address, normalised, and clears it with ""', async () => {
    const s = new Settings();
    expect((await s.update({ playgroundPage: 'http://127.0.0.1:4021/page' })).playgroundPage).toBe('http://127.0.0.1:4021/page');
    expect((await s.get()).playgroundPage).toBe('http://127.0.0.1:4021/page');
    expect((await s.update({ playgroundPage: 'https://LOCALHOST:8443/page?x=1' })).playgroundPage).toBe('https://localhost:8443/page?x=1');
    expect((await s.update({ playgroundPage: 'http://[::1]:4021/page' })).playgroundPage).toBe('http://[::1]:4021/page');
    const cleared = await s.update({ playgroundPage: '' });
    expect('playgroundPage' in cleared).toBe(false);
    expect((await s.get()).playgroundPage).toBeUndefined();
  });

  it.each([
    ['a remote site', 'https://evil.example/page'],
    ['a host that only starts like loopback', 'http://127.0.0.1.evil.example/page'],
    ['credentials in the address', 'http://user:pw@127.0.0.1:4021/page'],
    ['another scheme', 'javascript:alert(1)'],
    ['a file', 'file:///etc/passwd'],
    ['not an address', 'the demo page'],
    ['not a string', 42],
    ['too long', `http://127.0.0.1/${'a'.repeat(300)}`],
  ])('refuses %s and keeps the stored value', async (_what, value) => {
    const s = new Settings();
    await s.update({ playgroundPage: 'http://127.0.0.1:4021/page' });
    await expect(s.update({ playgroundPage: value as string })).rejects.toMatchObject({
      code: 'invalid-settings',
      message: expect.stringMatching(/playground page must be an http\(s\) address on this machine/),
    });
    expect((await s.get()).playgroundPage).toBe('http://127.0.0.1:4021/page');
  });
});

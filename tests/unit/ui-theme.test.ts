/** Design system: the theme setting (stored, validated) and locale number formatting (exact). */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Settings } from '../../lib/background/settings';
import { localizeNumbers } from '../../lib/ui/format';

describe('theme setting', () => {
  beforeEach(() => fakeBrowser.reset());

  it('defaults to following the system, stores System / Light / Dark, and refuses anything else without changing it', async () => {
    const s = new Settings();
    expect((await s.get()).theme).toBeUndefined();
    expect((await s.update({ theme: 'dark' })).theme).toBe('dark');
    expect((await new Settings().get()).theme).toBe('dark');
    await expect(s.update({ theme: 'purple' as never, notifications: false })).rejects.toMatchObject({ code: 'invalid-settings', message: /System, Light or Dark/ });
    const after = await s.get();
    expect(after.theme).toBe('dark');
    expect(after.notifications).toBe(true);
    expect((await s.update({ theme: 'system' })).theme).toBe('system');
  });
});

describe('localizeNumbers', () => {
  it('groups and separates in the locale, never rounding a token amount', () => {
    expect(localizeNumbers('1234567.123456789012345678 USDC', 'en-US')).toBe('1,234,567.123456789012345678 USDC');
    expect(localizeNumbers('1234567.5 USDC ($1234567.50)', 'de-DE')).toBe('1.234.567,5 USDC ($1.234.567,50)');
    // beyond Number's exact range: the digits are kept
    expect(localizeNumbers('123456789012345678901 USDC', 'en-US')).toBe('123,456,789,012,345,678,901 USDC');
    expect(localizeNumbers('0.01 USDC ($0.01)', 'en-US')).toBe('0.01 USDC ($0.01)');
    expect(localizeNumbers('100 USDC', 'fr-FR')).toBe('100 USDC');
  });

  it('leaves text without amounts, and numbers with leading zeros, alone', () => {
    expect(localizeNumbers('USDC balance unknown', 'en-US')).toBe('USDC balance unknown');
    expect(localizeNumbers('id 007', 'en-US')).toBe('id 007');
  });
});

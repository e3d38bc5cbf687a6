import { describe, expect, it } from 'vitest';
import {
  autoLockChoices,
  autoLockToValue,
  clampPercent,
  formatCountdown,
  fromDateInput,
  parseSiteOrigin,
  secondsLeft,
  shortAddress,
  toDateInput,
  valueToAutoLock,
} from '../../lib/ui/format';
import { pickConfirmPositions, splitWords, wrongConfirmPositions } from '../../lib/ui/mnemonic';
import { draftFromPolicy, policyFromDraft } from '../../lib/ui/sitePolicy';
import { toApiError } from '../../lib/ui/errors';
import { WalletApiError } from '../../lib/messaging/client';

describe('display helpers', () => {
  it('shortens addresses', () => {
    expect(shortAddress('0x1234567890abcdef1234567890abcdef12345678')).toBe('0x1234…5678');
    expect(shortAddress('0x12')).toBe('0x12');
  });

  it('formats countdowns', () => {
    expect(formatCountdown(45_000)).toBe('45 s');
    expect(formatCountdown(44_001)).toBe('45 s');
    expect(formatCountdown(65_000)).toBe('1:05');
    expect(formatCountdown(3_600_000 + 5 * 60_000 + 9_000)).toBe('1:05:09');
    expect(formatCountdown(-5)).toBe('0 s');
    expect(secondsLeft(10_500, 10_000)).toBe(1);
    expect(secondsLeft(9_000, 10_000)).toBe(0);
  });

  it('maps auto-lock choices both ways', () => {
    const choices = autoLockChoices({ kind: 'minutes', minutes: 15 });
    expect(choices.map((c) => c.value)).toEqual([
      'minutes:1',
      'minutes:5',
      'minutes:15',
      'minutes:30',
      'minutes:60',
      'browser-close',
      'never',
    ]);
    for (const c of choices) expect(autoLockToValue(valueToAutoLock(c.value)!)).toBe(c.value);
    expect(valueToAutoLock('minutes:0')).toBeNull();
    expect(valueToAutoLock('minutes:-1')).toBeNull();
    expect(valueToAutoLock('bogus')).toBeNull();
    // an unusual current value stays selectable
    expect(autoLockChoices({ kind: 'minutes', minutes: 7 }).map((c) => c.value)).toContain('minutes:7');
  });

  it('clamps bar percentages', () => {
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(42.5)).toBe(42.5);
    expect(clampPercent(250)).toBe(100);
    expect(clampPercent(Number.NaN)).toBe(0);
  });

  it('round-trips local dates to the end of that day', () => {
    const ms = fromDateInput('2031-03-04');
    expect(typeof ms).toBe('number');
    const d = new Date(ms as number);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2031, 2, 4, 23, 59]);
    expect(toDateInput(ms as number)).toBe('2031-03-04');
    expect(fromDateInput('')).toBeUndefined();
    expect(fromDateInput('04/03/2031')).toBeNull();
  });

  it('turns thrown errors into displayable ApiErrors', () => {
    expect(toApiError(new WalletApiError({ code: 'locked-out', message: 'Wait', retryAfterMs: 4000 }))).toEqual({
      code: 'locked-out',
      message: 'Wait',
      retryAfterMs: 4000,
    });
    expect(toApiError(new Error('boom'))).toEqual({ code: 'error', message: 'boom' });
    expect(toApiError('odd')).toEqual({ code: 'error', message: 'odd' });
  });
});

describe('parseSiteOrigin', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    ['https://Example.COM/', 'https://example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['  https://shop.example.org:8443  ', 'https://shop.example.org:8443'],
    ['https://example.com:443', 'https://example.com'],
  ])('accepts %j as %j', (input, origin) => {
    expect(parseSiteOrigin(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['', /Enter a site/],
    ['example.com', /https:\/\//],
    ['ftp://example.com', /https:\/\//],
    ['javascript:alert(1)', /https:\/\//],
    ['https://example.com/path', /without a path/],
    ['https://example.com/?q=1', /without a path/],
    ['https://example.com#x', /without a path/],
    ['https://user:pw@example.com', /user names/],
    ['https://', /valid/],
  ])('rejects %j', (input, message) => {
    const r = parseSiteOrigin(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('recovery phrase confirmation', () => {
  const words = splitWords(' alpha  bravo charlie\ndelta echo foxtrot ');

  it('splits on any whitespace', () => {
    expect(words).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']);
  });

  it('picks distinct, sorted, in-range positions', () => {
    for (let i = 0; i < 200; i++) {
      const p = pickConfirmPositions(24, 3);
      expect(p).toHaveLength(3);
      expect(new Set(p).size).toBe(3);
      expect([...p].sort((a, b) => a - b)).toEqual(p);
      for (const n of p) expect(n >= 1 && n <= 24).toBe(true);
    }
    const seq = [5, 5, 0, 23];
    let i = 0;
    expect(pickConfirmPositions(24, 3, () => seq[i++] ?? 0)).toEqual([1, 6, 24]);
    expect(() => pickConfirmPositions(2, 3)).toThrow();
  });

  it('reports exactly the wrong positions, ignoring case and spaces', () => {
    expect(wrongConfirmPositions(words, { 2: ' Bravo ', 5: 'echo' }, [2, 5])).toEqual([]);
    expect(wrongConfirmPositions(words, { 2: 'bravo', 5: 'delta' }, [2, 5])).toEqual([5]);
    expect(wrongConfirmPositions(words, {}, [1, 3])).toEqual([1, 3]);
  });
});

describe('site policy form', () => {
  const base = { site: 'https://a.example', mode: 'auto' as const, paused: false };

  it('normalizes caps and drops empty fields', () => {
    const draft = { ...draftFromPolicy(base), dayUsd: '1.5', perPaymentUsd: '$0.05', ratePerMinute: '10' };
    expect(policyFromDraft(draft)).toEqual({
      ok: true,
      policy: { ...base, dayUsd: '1.50', perPaymentUsd: '0.05', ratePerMinute: 10 },
    });
  });

  it('round-trips a stored policy', () => {
    const policy = { ...base, paused: true, weekUsd: '5.00', lifetimeUsd: '100.00', ratePerMinute: 3, expiresAt: fromDateInput('2030-01-31') as number };
    expect(policyFromDraft(draftFromPolicy(policy))).toEqual({ ok: true, policy });
  });

  it('reports every invalid field', () => {
    const draft = { ...draftFromPolicy(base), dayUsd: '-1', monthUsd: '0', ratePerMinute: '1.5', expiresOn: 'soon' };
    const r = policyFromDraft(draft);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['dayUsd', 'expiresOn', 'monthUsd', 'ratePerMinute']);
  });
});

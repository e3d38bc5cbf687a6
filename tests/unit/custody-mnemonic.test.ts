import { describe, expect, it } from 'vitest';
import { validateMnemonic as bip39Validate } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';
import {
  generateMnemonic,
  normalizeMnemonic,
  suggestWord,
  validateMnemonic,
  validatePrivateKey,
} from '../../lib/custody/mnemonic';

const TEST_PHRASE = 'test test test test test test test test test test test junk';

describe('generateMnemonic', () => {
  it('produces distinct, valid 24-word English phrases', () => {
    const a = generateMnemonic();
    const b = generateMnemonic();
    expect(a.split(' ')).toHaveLength(24);
    expect(bip39Validate(a, wordlist)).toBe(true);
    expect(a).not.toBe(b);
  });
});

describe('normalizeMnemonic / whitespace and case', () => {
  it('trims, collapses whitespace and lower-cases', () => {
    expect(normalizeMnemonic('  Test\tTEST \n test  ')).toBe('test test test');
  });
  it('accepts a phrase with odd spacing and capitals', () => {
    const messy = '  TEST test\n\ntest Test test test\ttest test test test test JUNK  ';
    expect(validateMnemonic(messy)).toEqual({ ok: true, phrase: TEST_PHRASE });
  });
});

describe('validateMnemonic errors', () => {
  it('rejects an empty phrase', () => {
    const r = validateMnemonic('   ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('empty');
  });

  it('names the wrong word count', () => {
    const r = validateMnemonic('test test test test test test test test test test test');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('word-count');
    expect(r.error).toContain('you entered 11 words');
    expect(r.error).toContain('12, 15, 18, 21 or 24');
  });

  it('names unknown words with positions and suggests by 4-letter prefix', () => {
    const r = validateMnemonic('test test testx test test test test test test test test junkyard');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('unknown-words');
    expect(r.unknownWords).toEqual([
      { position: 3, word: 'testx', suggestion: 'test' },
      { position: 12, word: 'junkyard', suggestion: 'junk' },
    ]);
    expect(r.error).toContain('word 3 "testx" (did you mean "test"?)');
    expect(r.error).toContain('word 12 "junkyard" (did you mean "junk"?)');
  });

  it('suggests a single-typo correction for short words and nothing when unclear', () => {
    expect(suggestWord('abandn')).toBe('abandon'); // prefix "aban"
    expect(suggestWord('abot')).toBe('about'); // one missing letter
    expect(suggestWord('wlak')).toBe('walk'); // swapped letters
    expect(suggestWord('cat')).toBeUndefined(); // cart, cash, … — no obvious single choice
    expect(suggestWord('xq')).toBeUndefined();
    const r = validateMnemonic('test test test test test test test test test test test qqqqqq');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.unknownWords).toEqual([{ position: 12, word: 'qqqqqq' }]);
    expect(r.error).not.toContain('did you mean');
  });

  it('reports a bad checksum when all words are valid', () => {
    const r = validateMnemonic('test test test test test test test test test test test test');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('checksum');
    expect(r.error).toMatch(/checksum/);
  });
});

describe('validatePrivateKey', () => {
  const KEY = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

  it('accepts with or without 0x, returns lower-case 0x form', () => {
    expect(validatePrivateKey(KEY)).toEqual({ ok: true, key: `0x${KEY}` });
    expect(validatePrivateKey(`  0X${KEY.toUpperCase()} `)).toEqual({ ok: true, key: `0x${KEY}` });
  });

  it.each([
    ['', 'empty'],
    ['0x' + KEY.slice(0, 63) + 'g', 'format'],
    [KEY.slice(2), 'length'],
    [KEY + '00', 'length'],
    ['0'.repeat(64), 'zero'],
    ['f'.repeat(64), 'out-of-range'],
    ['fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'out-of-range'], // n itself
  ])('rejects %j with code %s', (input, code) => {
    const r = validatePrivateKey(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.error.length).toBeGreaterThan(10);
      if (input.length > 10) expect(r.error).not.toContain(input.slice(4, 20)); // never echo the key
    }
  });

  it('accepts n-1 (the largest valid key)', () => {
    const r = validatePrivateKey('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140');
    expect(r.ok).toBe(true);
  });
});

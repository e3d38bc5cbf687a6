/**
 * Recovery-phrase and raw-key input handling (owner: background custody; pure, no I/O).
 * Generates BIP-39 English phrases and validates user input with messages that name
 * the actual problem (word count, which words are unknown and what was probably
 * meant, checksum), and validates raw secp256k1 private keys.
 */
import * as bip39 from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Hex } from 'viem';

export const ALLOWED_WORD_COUNTS = [12, 15, 18, 21, 24] as const;

export type MnemonicErrorCode = 'empty' | 'word-count' | 'unknown-words' | 'checksum';

export interface UnknownWord {
  /** 1-based position in the phrase. */
  position: number;
  word: string;
  /** The word list entry the user most likely meant, when there is an obvious one. */
  suggestion?: string;
}

export type MnemonicValidation =
  | { ok: true; phrase: string }
  | { ok: false; code: MnemonicErrorCode; error: string; unknownWords?: UnknownWord[] };

export type PrivateKeyErrorCode = 'empty' | 'format' | 'length' | 'zero' | 'out-of-range';

export type PrivateKeyValidation =
  | { ok: true; key: Hex }
  | { ok: false; code: PrivateKeyErrorCode; error: string };

const WORDS = new Set(wordlist);

/** A fresh 24-word (256-bit entropy) English phrase. */
export function generateMnemonic(): string {
  return bip39.generateMnemonic(wordlist, 256);
}

/** Trim, collapse any run of whitespace to one space, lower-case. */
export function normalizeMnemonic(input: string): string {
  return input.trim().split(/\s+/u).filter(Boolean).join(' ').toLowerCase();
}

/** Optimal-string-alignment distance (edits incl. adjacent swaps), capped for speed. */
function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The word the user most likely meant. BIP-39 English words are unique in their
 * first four letters, so a shared 4-letter prefix is decisive; otherwise a single
 * word at edit distance 1 (one typo or one swapped pair) is suggested.
 */
export function suggestWord(word: string): string | undefined {
  if (word.length >= 4) {
    const prefix = word.slice(0, 4);
    const byPrefix = wordlist.filter((w) => w.startsWith(prefix));
    if (byPrefix.length === 1) return byPrefix[0];
  }
  const close = wordlist.filter((w) => editDistance(word, w, 1) <= 1);
  return close.length === 1 ? close[0] : undefined;
}

function describeUnknown(u: UnknownWord): string {
  const hint = u.suggestion ? ` (did you mean "${u.suggestion}"?)` : '';
  return `word ${u.position} "${u.word}"${hint}`;
}

export function validateMnemonic(input: string): MnemonicValidation {
  const phrase = normalizeMnemonic(typeof input === 'string' ? input : '');
  if (!phrase) {
    return { ok: false, code: 'empty', error: 'Enter your recovery phrase.' };
  }
  const words = phrase.split(' ');
  const unknownWords: UnknownWord[] = [];
  words.forEach((word, i) => {
    if (!WORDS.has(word)) {
      const suggestion = suggestWord(word);
      unknownWords.push({ position: i + 1, word, ...(suggestion ? { suggestion } : {}) });
    }
  });

  if (!(ALLOWED_WORD_COUNTS as readonly number[]).includes(words.length)) {
    const n = words.length;
    return {
      ok: false,
      code: 'word-count',
      error: `A recovery phrase has 12, 15, 18, 21 or 24 words; you entered ${n} word${n === 1 ? '' : 's'}.`,
      ...(unknownWords.length ? { unknownWords } : {}),
    };
  }
  if (unknownWords.length) {
    const list = unknownWords.map(describeUnknown).join(', ');
    const what = unknownWords.length === 1 ? 'This word is' : 'These words are';
    return {
      ok: false,
      code: 'unknown-words',
      error: `${what} not in the BIP-39 English word list: ${list}.`,
      unknownWords,
    };
  }
  if (!bip39.validateMnemonic(phrase, wordlist)) {
    return {
      ok: false,
      code: 'checksum',
      error:
        'All words are valid, but the phrase checksum does not match: a word is probably wrong or two words are swapped.',
    };
  }
  return { ok: true, phrase };
}

const CURVE_N = secp256k1.CURVE.n;

/** Accepts 64 hex characters with an optional 0x; returns the key lower-cased with 0x. */
export function validatePrivateKey(input: string): PrivateKeyValidation {
  const raw = (typeof input === 'string' ? input : '').trim();
  if (!raw) return { ok: false, code: 'empty', error: 'Enter a private key.' };
  const hex = /^0x/i.test(raw) ? raw.slice(2) : raw;
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0) {
    return {
      ok: false,
      code: 'format',
      error: `A private key is hexadecimal (0-9, a-f); character ${bad + 1} of the key is not.`,
    };
  }
  if (hex.length !== 64) {
    return {
      ok: false,
      code: 'length',
      error: `A private key is 64 hex characters (32 bytes); this one has ${hex.length}.`,
    };
  }
  const n = BigInt('0x' + hex);
  if (n === 0n) return { ok: false, code: 'zero', error: 'A private key cannot be zero.' };
  if (n >= CURVE_N) {
    return {
      ok: false,
      code: 'out-of-range',
      error: 'This value is outside the valid secp256k1 private-key range.',
    };
  }
  return { ok: true, key: `0x${hex.toLowerCase()}` };
}

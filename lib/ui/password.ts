/**
 * Local password strength hint for the onboarding form. Pure: length, character classes,
 * a small list of very common passwords and trivial patterns. It is a hint for the user;
 * the vault's real protection is the slow key derivation in the background.
 */

import { UI_STRINGS } from './strings';

export const MIN_PASSWORD_LENGTH = 8;
const LABELS = UI_STRINGS.passwordStrength.labels;

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface PasswordStrength {
  score: StrengthScore;
  label: (typeof UI_STRINGS.passwordStrength.labels)[number];
  /** short suggestions, most useful first */
  hints: string[];
}

const COMMON = new Set([
  'password', 'password1', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword', '12345678', '123456789',
  '1234567890', '87654321', '11111111', '00000000', 'qwertyui', 'qwerty123', 'qwertyuiop', 'asdfghjk',
  'asdfghjkl', 'zxcvbnm1', '1q2w3e4r', '1qaz2wsx', 'iloveyou', 'sunshine', 'princess', 'football',
  'baseball', 'superman', 'trustno1', 'letmein1', 'welcome1', 'welcome123', 'abc12345', 'abcd1234',
  'admin123', 'monkey123', 'dragon123', 'starwars', 'whatever', 'changeme', 'bitcoin1', 'ethereum',
  'metamask', 'wallet123', 'crypto123', 'computer', 'internet', 'michael1', 'jennifer', 'shadow12',
]);

export function characterClasses(pw: string): number {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^a-zA-Z0-9]/.test(pw)) n++;
  return n;
}

/** "aaaaaaaa", "abababab", "12345678", "abcdefgh", "98765432" */
function isTrivialPattern(pw: string): boolean {
  const s = pw.toLowerCase();
  if (/^(.{1,2})\1+$/.test(s)) return true;
  let up = true;
  let down = true;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d !== 1) up = false;
    if (d !== -1) down = false;
  }
  return up || down;
}

export function isCommonPassword(pw: string): boolean {
  const s = pw.toLowerCase();
  if (COMMON.has(s)) return true;
  // "password2024!", "qwerty123!!" — a common word with only digits/symbols appended
  const stem = s.replace(/[^a-z]+$/, '');
  return stem.length >= 4 && stem !== s && (COMMON.has(stem) || COMMON.has(`${stem}1`) || stem === 'password' || stem === 'qwerty');
}

export function passwordStrength(pw: string): PasswordStrength {
  if (pw.length < MIN_PASSWORD_LENGTH) {
    return { score: 0, label: LABELS[0], hints: [UI_STRINGS.passwordStrength.tooShort(MIN_PASSWORD_LENGTH)] };
  }
  if (isCommonPassword(pw) || isTrivialPattern(pw)) {
    return { score: 1, label: LABELS[1], hints: [UI_STRINGS.passwordStrength.common] };
  }
  const classes = characterClasses(pw);
  const hints: string[] = [];
  let score = 1;
  if (pw.length >= 12) score++;
  if (pw.length >= 16) score++;
  if (classes >= 3) score++;
  if (classes >= 2) score++;
  if (classes === 1 && pw.length < 16) score = Math.min(score, 2);
  if (pw.length < 12) hints.push(UI_STRINGS.passwordStrength.longer);
  if (classes < 3) hints.push(UI_STRINGS.passwordStrength.mix);
  const s = Math.min(4, score) as StrengthScore;
  return { score: s, label: LABELS[s], hints };
}

export type PasswordPairCheck = { ok: true } | { ok: false; field: 'password' | 'confirm'; error: string };

/** Validation of the password + confirmation pair before it is sent to the background. */
export function checkPasswordPair(password: string, confirm: string): PasswordPairCheck {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { ok: false, field: 'password', error: UI_STRINGS.passwordPair.tooShort(MIN_PASSWORD_LENGTH) };
  }
  if (password !== confirm) return { ok: false, field: 'confirm', error: UI_STRINGS.passwordPair.mismatch };
  return { ok: true };
}

/**
 * Password policy and a quick strength estimate for the vault password
 * (owner: custody; pure). The policy is enforced by the custody service; the
 * strength score is advisory, for the create/import UI.
 */

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export interface PasswordStrength {
  /** 0 = unacceptable/very weak … 4 = strong */
  score: 0 | 1 | 2 | 3 | 4;
  hint: string;
}

const COMMON = new Set([
  'password', 'passw0rd', 'p@ssword', 'p@ssw0rd', '12345678', '123456789', '1234567890', 'qwerty',
  'qwertyui', 'qwerty123', 'letmein', 'iloveyou', 'admin', 'welcome', 'abc123', 'abcd1234',
  '11111111', '00000000', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess',
  'trustno1', 'wallet', 'bitcoin', 'ethereum', 'crypto', 'metamask', 'changeme', 'secret',
]);

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function hasSequence(lower: string, run = 4): boolean {
  for (const seq of SEQUENCES) {
    const rev = [...seq].reverse().join('');
    for (let i = 0; i + run <= seq.length; i++) {
      if (lower.includes(seq.slice(i, i + run)) || lower.includes(rev.slice(i, i + run))) return true;
    }
  }
  return false;
}

/** Advisory strength estimate (character-pool entropy with penalties for common patterns). */
export function passwordStrength(pw: string): PasswordStrength {
  const chars = [...(pw ?? '')];
  const len = chars.length;
  if (len === 0) return { score: 0, hint: 'Choose a password.' };
  if (len < MIN_PASSWORD_LENGTH) {
    return { score: 0, hint: `Use at least ${MIN_PASSWORD_LENGTH} characters (${len} so far).` };
  }
  const lower = pw.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[\d!?.]+$/u, ''))) {
    return { score: 0, hint: 'This is one of the most common passwords; choose something else.' };
  }
  if (new Set(chars).size === 1) return { score: 0, hint: 'A single repeated character is trivial to guess.' };

  let pool = 0;
  if (/[a-z]/.test(pw)) pool += 26;
  if (/[A-Z]/.test(pw)) pool += 26;
  if (/\d/.test(pw)) pool += 10;
  if (/[^a-zA-Z\d]/.test(pw)) pool += 33;
  let bits = len * Math.log2(Math.max(pool, 2));
  if (/^(.+?)\1+$/su.test(pw)) bits /= 2; // "abcabcabc"
  if (hasSequence(lower)) bits -= 12; // "1234", "abcd", "qwer"
  if (new Set(chars).size <= len / 3) bits *= 0.75; // few distinct characters

  if (bits < 40) return { score: 1, hint: 'Weak: make it longer — a few unrelated words work well.' };
  if (bits < 60) return { score: 2, hint: 'Fair: adding another word or two would make it much stronger.' };
  if (bits < 80) return { score: 3, hint: 'Good.' };
  return { score: 4, hint: 'Strong.' };
}

/** Returns an error message when the password does not meet the policy, else null. */
export function checkPasswordPolicy(pw: unknown): string | null {
  if (typeof pw !== 'string' || pw.length === 0) return 'Choose a password.';
  const len = [...pw].length;
  if (len < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (len > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  return null;
}

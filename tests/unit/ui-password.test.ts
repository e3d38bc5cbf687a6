import { describe, expect, it } from 'vitest';
import { characterClasses, checkPasswordPair, isCommonPassword, passwordStrength } from '../../lib/ui/password';

describe('passwordStrength', () => {
  it('calls anything under 8 characters too short', () => {
    for (const pw of ['', 'a', 'Ab1!xyz']) {
      const s = passwordStrength(pw);
      expect(s.score).toBe(0);
      expect(s.label).toBe('Too short');
      expect(s.hints[0]).toMatch(/8 characters/);
    }
  });

  it.each(['password', 'Password1', 'PASSWORD123', 'password2024!', 'qwerty123', '12345678', 'aaaaaaaa', 'abababab', 'abcdefgh', '98765432', 'iloveyou'])(
    'flags the common password or pattern %j as weak',
    (pw) => {
      const s = passwordStrength(pw);
      expect(s.score).toBe(1);
      expect(s.label).toBe('Weak');
    },
  );

  it('rates longer, more varied passwords higher', () => {
    expect(passwordStrength('kjhsdfkjhs').score).toBe(1); // lowercase only, short
    expect(passwordStrength('kjhsdfk2').score).toBe(2); // two classes
    expect(passwordStrength('Tr0ub4dor&3').score).toBe(3);
    expect(passwordStrength('correcthorsebatterystaple').score).toBe(3); // long words
    expect(passwordStrength('Xk9$mQ2!pL7#').score).toBe(4);
    expect(passwordStrength('Xk9$mQ2!pL7#').label).toBe('Strong');
    expect(passwordStrength('Xk9$mQ2!pL7#').hints).toEqual([]);
  });

  it('gives hints for what is missing', () => {
    const s = passwordStrength('kjhsdfkjhs');
    expect(s.hints.join(' ')).toMatch(/12 characters/);
    expect(s.hints.join(' ')).toMatch(/upper and lower case/);
  });

  it('counts character classes and common passwords', () => {
    expect(characterClasses('abc')).toBe(1);
    expect(characterClasses('aB3$')).toBe(4);
    expect(characterClasses('ünï')).toBe(2); // 'n' is lower case, ü/ï count as symbols
    expect(isCommonPassword('LetMeIn1')).toBe(true);
    expect(isCommonPassword('violet-harbor-17')).toBe(false);
  });
});

describe('checkPasswordPair', () => {
  it('needs 8 characters and a matching confirmation', () => {
    expect(checkPasswordPair('short', 'short')).toEqual({ ok: false, field: 'password', error: expect.stringMatching(/8/) });
    expect(checkPasswordPair('long enough', 'long enougH')).toEqual({ ok: false, field: 'confirm', error: expect.stringMatching(/match/) });
    expect(checkPasswordPair('long enough', 'long enough')).toEqual({ ok: true });
  });
});

/**
 * Recovery-phrase confirmation for onboarding: which positions to ask for and whether the
 * answers match. The phrase itself comes from and goes back to the background.
 */

export function splitWords(mnemonic: string): string[] {
  return mnemonic.trim().split(/\s+/).filter(Boolean);
}

/** Random source returning an integer in [0, max). Defaults to crypto.getRandomValues. */
export type RandomInt = (max: number) => number;

export const cryptoRandomInt: RandomInt = (max) => {
  const buf = new Uint32Array(1);
  // rejection sampling keeps the choice uniform
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  for (;;) {
    crypto.getRandomValues(buf);
    const v = buf[0] ?? 0;
    if (v < limit) return v % max;
  }
};

/** `count` distinct 1-based positions out of `wordCount`, ascending. */
export function pickConfirmPositions(wordCount: number, count = 3, random: RandomInt = cryptoRandomInt): number[] {
  if (count > wordCount) throw new Error('Cannot ask for more words than the phrase has.');
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(random(wordCount) + 1);
  return [...chosen].sort((a, b) => a - b);
}

/** Positions (1-based) whose answer does not match the phrase (case and spaces ignored). */
export function wrongConfirmPositions(words: string[], answers: Record<number, string>, positions: number[]): number[] {
  return positions.filter((pos) => (answers[pos] ?? '').trim().toLowerCase() !== (words[pos - 1] ?? '').toLowerCase());
}

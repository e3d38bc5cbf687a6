/**
 * Amounts (design system): a payment amount exactly as the background formatted it, "0.01 USDC
 * ($0.01)", with its numbers written in the user's locale (lib/ui/format.ts `localizeNumbers`:
 * grouping and decimal separator only, never rounded). The exact text is kept in `title`.
 */
import { localizeNumbers } from '../lib/ui/format';

export interface AmountViewProps {
  token: string;
  usd: string | null | undefined;
  className?: string;
  testId?: string;
  /** the big amount of an approval: token on top, dollars beside it in a lighter weight */
  hero?: boolean;
}

export function amountText(token: string, usd: string | null | undefined): string {
  return usd ? `${token} (${usd})` : token;
}

/** An option's amount: "up to …" when the scheme makes it a maximum (EVM `upto`). */
export function optionAmountText(o: { amountToken: string; amountUsd: string | null; scheme?: string }): string {
  return o.scheme === 'upto' ? `Up to ${amountText(o.amountToken, o.amountUsd)}` : amountText(o.amountToken, o.amountUsd);
}

/** The locale form of an amount text (see `localizeNumbers`); the user's locale by default. */
export function localAmount(text: string): string {
  return localizeNumbers(text, typeof navigator === 'undefined' ? undefined : navigator.language);
}

export function AmountView({ token, usd, className, testId, hero }: AmountViewProps) {
  const exact = amountText(token, usd);
  if (hero) {
    return (
      <span className={`amount-hero${className ? ` ${className}` : ''}`} data-testid={testId} title={exact}>
        <span className="amount-token">{localAmount(token)}</span>
        {usd ? (
          <>
            {' '}
            <span className="amount-usd">({localAmount(usd)})</span>
          </>
        ) : null}
      </span>
    );
  }
  return (
    <span className={className} data-testid={testId} title={exact}>
      {localAmount(exact)}
    </span>
  );
}

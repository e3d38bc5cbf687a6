/** A payment amount exactly as the background formatted it: "0.01 USDC ($0.01)". */

export interface AmountViewProps {
  token: string;
  usd: string | null | undefined;
  className?: string;
  testId?: string;
}

export function amountText(token: string, usd: string | null | undefined): string {
  return usd ? `${token} (${usd})` : token;
}

/** An option's amount: "up to …" when the scheme makes it a maximum (EVM `upto`). */
export function optionAmountText(o: { amountToken: string; amountUsd: string | null; scheme?: string }): string {
  return o.scheme === 'upto' ? `Up to ${amountText(o.amountToken, o.amountUsd)}` : amountText(o.amountToken, o.amountUsd);
}

export function AmountView({ token, usd, className, testId }: AmountViewProps) {
  return (
    <span className={className} data-testid={testId}>
      {amountText(token, usd)}
    </span>
  );
}

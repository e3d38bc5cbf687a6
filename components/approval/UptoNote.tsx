/** What an `upto` offer means, in the approval: the amount is a maximum the facilitator settles from. */
import type { OptionDto } from '../../lib/messaging/contract';
import { amountText } from '../AmountView';

export function UptoNote({ option }: { option: OptionDto }) {
  return (
    <>
      <dt>Charged</dt>
      <dd data-testid="approval-upto">
        What the site uses, at most {amountText(option.amountToken, option.amountUsd)}. You sign for the maximum; the site's
        facilitator settles the actual amount and the wallet records what the chain shows was taken. Until then the full
        maximum counts against your budget and your balance.
      </dd>
      <dt>Settled by</dt>
      <dd className="mono" data-testid="approval-facilitator">
        {option.facilitator}
      </dd>
    </>
  );
}

/** What an `upto` offer means, in the approval: the amount is a maximum the facilitator settles from. */
import type { OptionDto } from '../../lib/messaging/contract';
import { amountText } from '../AmountView';
import { S } from '../strings';

export function UptoNote({ option }: { option: OptionDto }) {
  return (
    <>
      <dt>Charged</dt>
      <dd data-testid="approval-upto">{S.texts.UptoNote.whatTheSiteUsesAt}{amountText(option.amountToken, option.amountUsd)}{S.texts.UptoNote.youSignForTheMaximum}</dd>
      <dt>Settled by</dt>
      <dd className="mono" data-testid="approval-facilitator">
        {option.facilitator}
      </dd>
    </>
  );
}

/** The payable options of a 402 as a radio group, plus the options the wallet can't pay. */
import type { ApprovalDto, OptionDto } from '../../lib/messaging/contract';
import { shortAddress } from '../../lib/ui/format';
import { optionAmountText } from '../AmountView';
import { RailTag } from '../RailTag';
import { S } from '../strings';

/** Which network and token an option pays with: "Base · USDC", "Solana Devnet · USDC". */
export function optionTitle(o: OptionDto): string {
  return `${o.networkName} · ${o.symbol}`;
}

/** The account's balance for an option: "100 USDC", "Insufficient balance (you have 100 USDC)" or "Balance unknown". */
export function balanceText(o: OptionDto): string {
  if (!o.balance) return 'Balance unknown';
  const pending = o.balance.pending ? `, ${o.balance.pending} of it for payments not settled yet` : '';
  return o.balance.sufficient ? `${o.balance.token}${pending ? ` (${pending.slice(2)})` : ''}` : `Insufficient balance (you have ${o.balance.token}${pending})`;
}

export interface OptionsPickerProps {
  approval: ApprovalDto;
  selected: number;
  onSelect(index: number): void;
  disabled: boolean;
}

export function OptionsPicker({ approval, selected, onSelect, disabled }: OptionsPickerProps) {
  return (
    <>
      {approval.options.length > 1 && (
        <fieldset style={{ border: 'none', padding: 0, margin: '0.5rem 0' }}>
          <legend>
            <strong>{S.texts.OptionsPicker.chooseHowToPay}</strong>
          </legend>
          {approval.options.map((o) => (
            <label key={o.index} className="option" htmlFor={`option-${o.index}`}>
              <input
                type="radio"
                name="payment-option"
                id={`option-${o.index}`}
                data-testid={`option-${o.index}`}
                value={o.index}
                checked={selected === o.index}
                disabled={disabled}
                onChange={() => onSelect(o.index)}
              />
              <span>
                <span data-testid={`option-network-${o.index}`}>{optionTitle(o)}</span>{' '}
                <RailTag rail={o.rail} testId={`option-rail-${o.index}`} />
                <br />
                <strong>{optionAmountText(o)}</strong>
                <br />
                <span className="small muted">
                  to <span className="mono">{shortAddress(o.payTo)}</span>
                  {o.transferMethod === 'permit2' ? ' · Permit2' : ''}
                  {o.rail === 'svm' ? S.texts.OptionsPicker.networkFeePaidByThe : ''}
                  {o.fee && o.fee.atomic !== '0' ? ` · + ${o.fee.token} fee` : ''}
                  {o.allowance?.sufficient === false ? ' · allowance missing' : ''}
                </span>
                <br />
                <span
                  className={`small ${o.balance?.sufficient === false ? 'danger-text' : 'muted'}`}
                  data-testid={`option-balance-${o.index}`}
                >
                  {o.balance ? (o.balance.sufficient ? `Balance: ${o.balance.token}` : balanceText(o)) : 'Balance unknown'}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {approval.rejected.length > 0 && (
        <details data-testid="approval-rejected">
          <summary>{S.texts.OptionsPicker.optionsTheWalletCanT}{approval.rejected.length})</summary>
          <ul>
            {approval.rejected.map((r) => (
              <li key={r.index}>
                Option {r.index + 1}: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

/**
 * EVM exact with Permit2, the Permit2 allowance missing, and the server offers
 * `eip2612GasSponsoring`: instead of an approval transaction, the user may consent to sign an
 * EIP-2612 permit for Permit2 of exactly this payment's amount, which the facilitator submits
 * (and pays the gas of) together with the settlement. Nothing is signed until Pay is pressed
 * with the box ticked; never an unlimited permit.
 */
import type { OptionDto } from '../../lib/messaging/contract';
import { S } from '../strings';

export function SponsoredPermit({ option, checked, disabled, onChange }: { option: OptionDto; checked: boolean; disabled: boolean; onChange: (v: boolean) => void }) {
  return (
    <section className="card" aria-labelledby="sponsor-title" data-testid="sponsored-permit">
      <h2 id="sponsor-title" style={{ margin: 0, fontSize: '1rem' }}>{S.texts.SponsoredPermit.orLetTheSiteS}</h2>
      <p className="small">{S.texts.SponsoredPermit.theSiteOffersToPay}{option.allowance?.spender}{S.texts.SponsoredPermit.toMoveExactly}{' '}
        {option.allowance?.needed} of your {option.symbol}{S.texts.SponsoredPermit.validAsLongAsThis}</p>
      <label className="inline">
        <input type="checkbox" data-testid="sponsored-permit-consent" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />{S.texts.SponsoredPermit.signThePermitForExactly}{option.allowance?.needed}{S.texts.SponsoredPermit.withThisPayment}</label>
    </section>
  );
}

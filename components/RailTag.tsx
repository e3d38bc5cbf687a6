/** A small tag naming an address's or option's chain family: "EVM" or "Solana". */
import { railLabel, type UiRail } from '../lib/ui/rails';

export function RailTag({ rail, testId }: { rail: UiRail; testId?: string }) {
  return (
    <span className="rail-tag" data-rail={rail} data-testid={testId}>
      {railLabel(rail)}
    </span>
  );
}

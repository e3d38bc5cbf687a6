/**
 * Networks (design system): a small inline SVG mark per network family (Base blue square, Solana
 * purple bars, TRON red triangle, a grey dot for local and other EVM chains) and the network's
 * name cut with an ellipsis (the full name in its title), with the rail tag when asked.
 */
import type { UiRail } from '../lib/ui/rails';
import { RailTag } from './RailTag';

function kindOf(network: string, name: string): 'base' | 'solana' | 'tron' | 'ethereum' | 'other' {
  if (network.startsWith('solana:')) return 'solana';
  if (network.startsWith('tron:')) return 'tron';
  if (/local|playground/i.test(name)) return 'other';
  if (network === 'eip155:8453' || network === 'eip155:84532' || /^base\b/i.test(name)) return 'base';
  if (network === 'eip155:1' || /ethereum/i.test(name)) return 'ethereum';
  return 'other';
}

export function NetworkIcon({ network, name, size = 16 }: { network: string; name: string; size?: number }) {
  const kind = kindOf(network, name);
  return (
    <svg className="net-icon" data-kind={kind} width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {kind === 'base' && <rect width="16" height="16" rx="4" fill="#0052ff" />}
      {kind === 'ethereum' && <path d="M8 0 3 8l5 3 5-3zm0 12-5-3 5 7 5-7z" fill="#627eea" />}
      {kind === 'solana' && (
        <g fill="#9945ff">
          <path d="M3 3h11l-2 2H1z" />
          <path d="M1 7h11l2 2H3z" fill="#14c195" />
          <path d="M3 11h11l-2 2H1z" />
        </g>
      )}
      {kind === 'tron' && <path d="M1 2l14 3-7 10z" fill="#ff060a" />}
      {kind === 'other' && <circle cx="8" cy="8" r="6" className="icon-fallback" />}
    </svg>
  );
}

export function Network({ network, name, rail, testId }: { network: string; name: string; rail?: UiRail; testId?: string }) {
  return (
    <span className="network">
      <NetworkIcon network={network} name={name} />
      <span className="ellipsis" title={name} data-testid={testId}>
        {name}
      </span>
      {rail && <RailTag rail={rail} />}
    </span>
  );
}

/**
 * Token marks (design system): a small inline SVG disc per token symbol — USD Coin blue, Tether
 * green, anything else the accent colour with its first letter. No image files, no icon font.
 */
const COLOURS: Record<string, string> = { USDC: '#2775ca', USDT: '#26a17b', EURC: '#1b4fa0', PYUSD: '#0070e0' };

export function TokenIcon({ symbol, size = 18 }: { symbol: string; size?: number }) {
  const sym = symbol.toUpperCase();
  const fill = COLOURS[sym];
  const mark = sym.startsWith('USD') || sym === 'PYUSD' ? '$' : sym.startsWith('EUR') ? '€' : (sym[0] ?? '?');
  return (
    <svg className="token-icon" width={size} height={size} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="10" className={fill ? undefined : 'icon-fallback'} fill={fill} />
      <text x="10" y="14.2" textAnchor="middle" fontSize="12" fontWeight="700" fill="#fff">
        {mark}
      </text>
    </svg>
  );
}

/** A token: its mark and symbol (title: the contract or mint it is). */
export function Token({ symbol, title }: { symbol: string; title?: string }) {
  return (
    <span className="token" title={title}>
      <TokenIcon symbol={symbol} />
      <span className="token-symbol">{symbol}</span>
    </span>
  );
}

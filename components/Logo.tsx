/** The wallet's mark: "402" on an accent tile (inline SVG, a few hundred bytes). */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" className="logo-tile" />
      <text x="16" y="20.5" textAnchor="middle" fontSize="11.5" fontWeight="800" className="logo-text">
        402
      </text>
    </svg>
  );
}

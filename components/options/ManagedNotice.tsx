/** "Managed by your organisation": the operator's policy summary (version, agent mode, problems). */
import { useEffect } from 'react';
import { MANAGED_LABEL, useManagedStore } from '../../lib/ui/stores/managed';

export function ManagedBadge() {
  return (
    <span className="small muted" data-testid="managed-badge" title="Set by your organisation's policy; it cannot be changed here.">
      🔒 {MANAGED_LABEL}
    </span>
  );
}

export function ManagedNotice() {
  const managed = useManagedStore((s) => s.managed);
  const load = useManagedStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  if (!managed?.active) return null;
  return (
    <div className="card" data-testid="managed-notice" role="note">
      <strong>{MANAGED_LABEL}</strong>
      <p className="small">
        Policy version <span className="mono">{managed.version}</span>
        {managed.agentMode ? ' · agent mode: payments outside the policy are refused, never asked' : ''}
        {managed.globalDailyUsd ? ` · daily cap across all sites $${managed.globalDailyUsd}` : ''}
        {managed.allowedNetworks ? ` · networks: ${managed.allowedNetworks.join(', ') || 'none'}` : ''}
      </p>
      {managed.errors.length > 0 && (
        <ul className="small error" data-testid="managed-errors">
          {managed.errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

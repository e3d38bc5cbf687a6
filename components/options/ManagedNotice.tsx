/** "Managed by your organisation": the operator's policy summary (version, agent mode, problems). */
import { useEffect } from 'react';
import { MANAGED_LABEL, useManagedStore } from '../../lib/ui/stores/managed';
import { S } from '../strings';

export function ManagedBadge() {
  return (
    <span className="small muted" data-testid="managed-badge" title={S.managed.badgeTitle}>
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
        {S.managed.version}
        <span className="mono">{managed.version}</span>
        {managed.agentMode ? S.managed.agentMode : ''}
        {managed.globalDailyUsd ? S.managed.dailyCap(managed.globalDailyUsd) : ''}
        {managed.allowedNetworks ? S.managed.networks(managed.allowedNetworks) : ''}
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

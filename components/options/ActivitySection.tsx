/** Recent wallet activity: what notifications said (kept here in case they were missed or off). */
import { useEffect } from 'react';
import { formatDateTime } from '../../lib/ui/format';
import { useActivityStore } from '../../lib/ui/stores/activity';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';

export function ActivitySection() {
  const items = useActivityStore((s) => s.items);
  const loaded = useActivityStore((s) => s.loaded);
  const error = useActivityStore((s) => s.error);
  const load = useActivityStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div data-testid="activity-section">
      <h2>{S.activity.title}</h2>
      <ErrorText error={error} />
      {loaded && items.length === 0 && !error && <p className="muted">{S.activity.nothing}</p>}
      <ul style={{ listStyle: 'none', padding: 0 }}>
        {items.map((a) => (
          <li key={a.id} className={a.level === 'warning' ? 'warning' : 'card'} data-testid="activity-item">
            <span className="small muted">{formatDateTime(a.at)}</span>
            {a.level === 'warning' && <strong>{S.activity.warning}</strong>} {a.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

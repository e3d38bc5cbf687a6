/** Every site with a policy: editable caps, mode, pause, expiry; usage bars; add and delete. */
import { useEffect } from 'react';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { ErrorText } from '../ErrorText';
import { AddSiteForm } from './AddSiteForm';
import { SiteEditor } from './SiteEditor';
import { S } from '../strings';

export function SitesSection() {
  const sites = useSitesStore((s) => s.sites);
  const loaded = useSitesStore((s) => s.loaded);
  const error = useSitesStore((s) => s.error);
  const load = useSitesStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  const timeZone = sites[0]?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <div data-testid="sites-section">
      <h2>{S.sites.title}</h2>
      <p className="small muted" data-testid="sites-timezone">
        {S.sites.timeZone[0]}
        {timeZone}
        {S.sites.timeZone[1]}
      </p>
      <ErrorText error={error} />
      {loaded && sites.length === 0 && !error && <p className="muted">{S.sites.none}</p>}
      {sites.map((s) => (
        <SiteEditor key={s.policy.site} entry={s} />
      ))}
      <AddSiteForm existing={sites.map((s) => s.policy.site)} />
    </div>
  );
}

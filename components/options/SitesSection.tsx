/** Every site with a policy: editable caps, mode, pause, expiry; usage bars; add and delete. */
import { useEffect } from 'react';
import { useSitesStore } from '../../lib/ui/stores/sites';
import { ErrorText } from '../ErrorText';
import { AddSiteForm } from './AddSiteForm';
import { SiteEditor } from './SiteEditor';

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
      <h2>Sites</h2>
      <p className="small muted" data-testid="sites-timezone">
        Amounts are in US dollars. Days, weeks and months follow your time zone ({timeZone}). Empty fields mean no
        limit.
      </p>
      <ErrorText error={error} />
      {loaded && sites.length === 0 && !error && <p className="muted">No sites yet. Approving a payment with “Pay and allow” or adding a site below creates one.</p>}
      {sites.map((s) => (
        <SiteEditor key={s.policy.site} entry={s} />
      ))}
      <AddSiteForm existing={sites.map((s) => s.policy.site)} />
    </div>
  );
}

/** The history filters: site, status, network, dates and free-text search (every control labelled). */
import type { HistoryFilter } from '../../../lib/history/filter';
import { MAX_QUERY_LENGTH } from '../../../lib/history/filter';
import { statusChoices, type Choice } from '../../../lib/ui/history';
import { ErrorText } from '../../ErrorText';
import { SelectField } from '../../SelectField';

export interface HistoryFiltersProps {
  filter: HistoryFilter;
  sites: Choice[];
  networks: Choice[];
  onChange(patch: Partial<HistoryFilter>): void;
  onClear(): void;
  /** why the filter cannot be applied, e.g. the start date is after the end date */
  error?: string | null;
}

export function HistoryFilters({ filter, sites, networks, onChange, onClear, error }: HistoryFiltersProps) {
  const active = Object.values(filter).some(Boolean);
  return (
    <form className="card history-filters" role="search" aria-label="Filter payments" data-testid="history-filters" onSubmit={(e) => e.preventDefault()}>
      <div className="grid-fields">
        <div>
          <label htmlFor="history-search">Search</label>
          <input
            id="history-search"
            type="search"
            data-testid="history-search"
            placeholder="site, URL, payee, tx hash, payment id"
            maxLength={MAX_QUERY_LENGTH}
            value={filter.query ?? ''}
            onChange={(e) => onChange({ query: e.target.value })}
          />
        </div>
        <SelectField id="history-site" label="Site" value={filter.site ?? ''} choices={sites} onChange={(site) => onChange({ site })} />
        <SelectField
          id="history-status"
          label="Status"
          value={filter.status ?? ''}
          choices={statusChoices()}
          onChange={(v) => onChange({ status: (v || undefined) as HistoryFilter['status'] })}
        />
        <SelectField id="history-network" label="Network" value={filter.network ?? ''} choices={networks} onChange={(network) => onChange({ network })} />
        <div>
          <label htmlFor="history-from">From</label>
          <input id="history-from" type="date" data-testid="history-from" value={filter.from ?? ''} max={filter.to} onChange={(e) => onChange({ from: e.target.value })} />
        </div>
        <div>
          <label htmlFor="history-to">To</label>
          <input id="history-to" type="date" data-testid="history-to" value={filter.to ?? ''} min={filter.from} onChange={(e) => onChange({ to: e.target.value })} />
        </div>
      </div>
      <div className="row spread">
        <ErrorText error={error} testId="history-filter-error" />
        <span className="grow" />
        <button type="button" data-testid="history-clear" onClick={onClear} disabled={!active}>
          Clear filters
        </button>
      </div>
    </form>
  );
}

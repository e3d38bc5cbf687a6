/** The history filters: site, status, network, dates and free-text search (every control labelled). */
import type { HistoryFilter } from '../../../lib/history/filter';
import { MAX_QUERY_LENGTH } from '../../../lib/history/filter';
import { statusChoices, type Choice } from '../../../lib/ui/history';
import { ErrorText } from '../../ErrorText';
import { SelectField } from '../../SelectField';
import { S } from '../../strings';
import { Button, Field } from '../../Card';

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
    <form className="card history-filters" role="search" aria-label={S.history.filterLabel} data-testid="history-filters" onSubmit={(e) => e.preventDefault()}>
      <div className="grid-fields">
        <Field id="history-search" label={S.history.search}>
          <input
            id="history-search"
            type="search"
            data-testid="history-search"
            placeholder={S.history.searchPlaceholder}
            maxLength={MAX_QUERY_LENGTH}
            value={filter.query ?? ''}
            onChange={(e) => onChange({ query: e.target.value })}
          />
        </Field>
        <SelectField id="history-site" label={S.history.site} value={filter.site ?? ''} choices={sites} onChange={(site) => onChange({ site })} />
        <SelectField
          id="history-status"
          label={S.history.status}
          value={filter.status ?? ''}
          choices={statusChoices()}
          onChange={(v) => onChange({ status: (v || undefined) as HistoryFilter['status'] })}
        />
        <SelectField id="history-network" label={S.history.network} value={filter.network ?? ''} choices={networks} onChange={(network) => onChange({ network })} />
        <Field id="history-from" label={S.history.from}>
          <input id="history-from" type="date" data-testid="history-from" value={filter.from ?? ''} max={filter.to} onChange={(e) => onChange({ from: e.target.value })} />
        </Field>
        <Field id="history-to" label={S.history.to}>
          <input id="history-to" type="date" data-testid="history-to" value={filter.to ?? ''} min={filter.from} onChange={(e) => onChange({ to: e.target.value })} />
        </Field>
      </div>
      <div className="row spread">
        <ErrorText error={error} testId="history-filter-error" />
        <span className="grow" />
        <Button testId="history-clear" onClick={onClear} disabled={!active}>
          {S.history.clearFilters}
        </Button>
      </div>
    </form>
  );
}

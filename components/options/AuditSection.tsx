/** The decision audit trail: export as JSON Lines or CSV. */
import { useState } from 'react';
import { call } from '../../lib/messaging/client';
import type { ApiError } from '../../lib/messaging/contract';
import { toApiError } from '../../lib/ui/errors';
import { ErrorText } from '../ErrorText';
import { S } from '../strings';
import { Button } from '../Card';

function download(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AuditSection() {
  const [error, setError] = useState<ApiError | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const exportAs = async (format: 'jsonl' | 'csv') => {
    setError(null);
    try {
      const r = await call('audit.export', { format });
      setCount(r.count);
      download(r.text, r.filename, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    } catch (e) {
      setError(toApiError(e));
    }
  };
  return (
    <div data-testid="audit-section">
      <h3>{S.audit.title}</h3>
      <p className="small muted">{S.audit.lead}</p>
      <div className="row">
        <Button testId="audit-export-jsonl" onClick={() => void exportAs('jsonl')}>
          {S.audit.jsonl}
        </Button>
        <Button testId="audit-export-csv" onClick={() => void exportAs('csv')}>
          {S.audit.csv}
        </Button>
        {count !== null && <span className="small muted" data-testid="audit-count">{S.audit.exported(count)}</span>}
      </div>
      <ErrorText error={error} />
    </div>
  );
}

/** An error message announced to screen readers; renders nothing without an error. */
import type { ApiError } from '../lib/messaging/contract';

export interface ErrorTextProps {
  error: ApiError | string | null | undefined;
  id?: string;
  testId?: string;
}

export function ErrorText({ error, id, testId }: ErrorTextProps) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <p className="error" role="alert" id={id} data-testid={testId}>
      {message}
    </p>
  );
}

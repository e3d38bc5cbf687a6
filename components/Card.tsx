/** Design-system building blocks: Card (a titled section), Badge, Button, Field and Check. */
import { forwardRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode } from 'react';
import type { ApiError } from '../lib/messaging/contract';
import { ErrorText } from './ErrorText';

export function Card(p: { title?: ReactNode; action?: ReactNode; label: string; testId?: string; className?: string; children: ReactNode }) {
  return (
    <section className={`card${p.className ? ` ${p.className}` : ''}`} aria-label={p.label} data-testid={p.testId}>
      {(p.title || p.action) && (
        <div className="card-head">
          {p.title && <h3>{p.title}</h3>}
          {p.action}
        </div>
      )}
      {p.children}
    </section>
  );
}

export type BadgeTone = 'neutral' | 'ok' | 'danger' | 'warn' | 'count' | 'settled' | 'failed' | 'unknown' | string;

export function Badge({ tone = 'neutral', children, testId, title }: { tone?: BadgeTone; children: ReactNode; testId?: string; title?: string }) {
  return (
    <span className={`badge ${tone}`} data-testid={testId} title={title}>
      {children}
    </span>
  );
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'default' | 'primary' | 'danger' | 'link';
  size?: 'compact' | 'normal' | 'big';
  testId?: string;
}

/** The one button: `type="button"` unless told otherwise; variant and size map to the stylesheet's classes. */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button({ variant = 'default', size = 'normal', testId, className, type = 'button', ...rest }, ref) {
  const cls = [variant !== 'default' ? variant : '', size !== 'normal' ? size : '', className ?? ''].filter(Boolean).join(' ');
  return <button ref={ref} type={type} className={cls || undefined} data-testid={testId} {...rest} />;
});

export interface FieldProps {
  /** the control's id: the label's `for`, and `${id}-error` for the error line */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ApiError | string | null;
  errorTestId?: string;
  /** label and control on one row */
  inline?: boolean;
  /** the label is read by screen readers only */
  hideLabel?: boolean;
  /** classes of the label (e.g. `inline` for a plain-weight label) */
  labelClassName?: string;
  className?: string;
  children: ReactNode;
}

/** A labelled control with an optional hint and error (the control gets `id`). */
export function Field(p: FieldProps) {
  const cls = ['field', p.inline ? 'row' : '', p.className ?? ''].filter(Boolean).join(' ');
  return (
    <div className={cls}>
      <label className={p.hideLabel ? 'visually-hidden' : p.labelClassName} htmlFor={p.id}>
        {p.label}
      </label>
      {p.children}
      {p.hint && <p className="small muted field-hint">{p.hint}</p>}
      <ErrorText error={p.error} id={`${p.id}-error`} testId={p.errorTestId} />
    </div>
  );
}

export interface CheckProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  type?: 'checkbox' | 'radio';
  label: ReactNode;
  testId?: string;
  /** classes of the wrapping label (default `inline`) */
  labelClassName?: string;
}

/** A checkbox or radio inside its label (the label's text is its accessible name). */
export function Check({ type = 'checkbox', label, testId, labelClassName = 'inline', ...input }: CheckProps) {
  return (
    <label className={labelClassName} htmlFor={input.id}>
      <input type={type} data-testid={testId} {...input} />
      {label}
    </label>
  );
}

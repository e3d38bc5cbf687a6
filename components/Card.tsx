/** Design-system building blocks: Card (a titled section), Badge, Button and Field. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';

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

export function Button({ variant = 'default', size = 'normal', testId, className, type = 'button', ...rest }: ButtonProps) {
  const cls = [variant !== 'default' ? variant : '', size !== 'normal' ? size : '', className ?? ''].filter(Boolean).join(' ');
  return <button type={type} className={cls || undefined} data-testid={testId} {...rest} />;
}

/** A labelled control with an optional hint and error (the control gets `id`). */
export function Field(p: { id: string; label: ReactNode; hint?: ReactNode; error?: string | null; children: ReactNode; inline?: boolean }) {
  return (
    <div className={p.inline ? 'field row' : 'field'}>
      <label htmlFor={p.id} className={p.inline ? 'inline' : undefined}>
        {p.label}
      </label>
      {p.children}
      {p.hint && <p className="small muted field-hint">{p.hint}</p>}
      {p.error && (
        <p className="error" role="alert" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
    </div>
  );
}

'use client';
import { useState, type ReactNode } from 'react';
import { Button } from './button';

/** A destructive action in two steps, inline (no window.confirm): the first click asks, the second acts. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  cancelLabel,
  onConfirm,
  disabled,
  variant = 'danger',
  type = 'button',
}: {
  label: ReactNode;
  question: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel: ReactNode;
  onConfirm?: () => void;
  disabled?: boolean;
  variant?: 'danger' | 'secondary';
  type?: 'button' | 'submit';
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <Button type="button" variant={variant} disabled={disabled} className="min-h-9 px-2 py-1" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  return (
    <span role="group" className="inline-flex flex-wrap items-center gap-2 rounded border border-line bg-stone-50 px-2 py-1 text-sm">
      <span>{question}</span>
      <Button
        type={type}
        variant={variant}
        disabled={disabled}
        className="min-h-9 px-2 py-1"
        onClick={() => {
          if (type === 'button') {
            setAsking(false);
            onConfirm?.();
          }
        }}
      >
        {confirmLabel}
      </Button>
      <Button type="button" variant="secondary" className="min-h-9 px-2 py-1" onClick={() => setAsking(false)}>
        {cancelLabel}
      </Button>
    </span>
  );
}

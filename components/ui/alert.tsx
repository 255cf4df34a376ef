import type { ReactNode } from 'react';

export function Alert({ tone = 'error', children }: { tone?: 'error' | 'ok' | 'info' | 'warn'; children: ReactNode }) {
  const styles = {
    error: 'border-danger bg-rose-50 text-danger',
    ok: 'border-green-700 bg-green-50 text-ok',
    info: 'border-accent bg-accent-soft text-accent',
    warn: 'border-amber-700 bg-amber-50 text-amber-900',
  }[tone];
  return (
    <div role={tone === 'error' || tone === 'warn' ? 'alert' : 'status'} className={`rounded-md border p-3 text-sm ${styles}`}>
      {children}
    </div>
  );
}

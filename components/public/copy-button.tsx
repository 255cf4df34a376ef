'use client';
import { useState } from 'react';

/** Copies `text` to the clipboard; the result is announced in a visible live region. A native button, so keyboard works. */
export function CopyButton({ text, label, copiedLabel, failedLabel }: { text: string; label: string; copiedLabel: string; failedLabel: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={copy}
        className="inline-flex min-h-11 items-center justify-center rounded-md border border-line bg-white px-4 py-2 text-sm font-semibold text-ink hover:bg-stone-100"
      >
        {label}
      </button>
      <span role="status" aria-live="polite" className={`text-sm ${status === 'failed' ? 'text-danger' : 'text-ok'}`}>
        {status === 'copied' ? copiedLabel : status === 'failed' ? failedLabel : ''}
      </span>
    </div>
  );
}

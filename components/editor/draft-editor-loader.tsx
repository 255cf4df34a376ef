'use client';
// The editor's code (Tiptap, ProseMirror) is loaded only on editing pages, and only in the browser.
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import type { DraftEditorProps } from './draft-editor';

function Loading() {
  const t = useTranslations('editor');
  return (
    <div
      role="status"
      className="flex min-h-[50vh] items-center justify-center rounded-md border border-line bg-white text-muted"
    >
      {t('loading')}
    </div>
  );
}

const DraftEditor = dynamic(() => import('./draft-editor').then((m) => m.DraftEditor), {
  ssr: false,
  loading: Loading,
});

export function DraftEditorLoader(props: DraftEditorProps) {
  return <DraftEditor {...props} />;
}

// Runs once when a server instance starts (never during `next build`).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { onServerStart } = await import('./lib/server-start');
  await onServerStart();
}

// The invitation progress bar (S2): accepted out of the invitations that still count (revoked ones do not).
// A plain element with role=progressbar, so it renders on the server and reads "N of M accepted".
export function InvitationProgress({
  accepted,
  total,
  label,
  valueText,
  compact = false,
}: {
  accepted: number;
  total: number;
  /** The accessible name, e.g. "Invitations accepted". */
  label: string;
  /** What is read and shown, e.g. "3 of 5 accepted". */
  valueText: string;
  compact?: boolean;
}) {
  const pct = total > 0 ? Math.round((accepted / total) * 100) : 0;
  return (
    <div className={compact ? 'flex items-center gap-2' : 'flex flex-col gap-1'}>
      {compact ? null : <p className="text-sm font-semibold">{valueText}</p>}
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={accepted}
        aria-valuetext={valueText}
        className={`overflow-hidden rounded-full bg-stone-200 ${compact ? 'h-2 w-24 shrink-0' : 'h-3 w-full'}`}
      >
        <div className="h-full rounded-full bg-green-700" style={{ width: `${pct}%` }} />
      </div>
      {compact ? <span className="text-xs whitespace-nowrap text-muted">{valueText}</span> : null}
    </div>
  );
}

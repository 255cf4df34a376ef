/** A logo or, without one, the initials (decorative: the name is always written next to it). */
export function OrgLogo({ fileId, name, size = 48 }: { fileId: string | null; name: string; size?: number }) {
  const initials = name
    .replace(/["«»„“”']/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
  return fileId ? (
    // eslint-disable-next-line @next/next/no-img-element -- our own re-encoded PNG, served with immutable caching
    <img src={`/api/files/${fileId}`} alt="" width={size} height={size} className="shrink-0 rounded border border-line bg-white object-contain" style={{ width: size, height: size }} />
  ) : (
    <span aria-hidden="true" className="flex shrink-0 items-center justify-center rounded bg-accent-soft font-semibold text-accent" style={{ width: size, height: size }}>
      {initials}
    </span>
  );
}

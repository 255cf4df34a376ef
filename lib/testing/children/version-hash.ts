// The canonical form and hash of a version, computed in a process of its own (lib/version-hash.test.ts compares it
// with the test process's): the bytes must not depend on the process, its time zone or its locale.
import { canonicalVersion, type VersionTexts } from '../../signing';
import { childMain } from './_main';

childMain(async (p: { statement: string; version: number; texts: VersionTexts }) => {
  const { canonical, sha256 } = canonicalVersion(p.statement, p.version, p.texts);
  return { canonical, sha256, bytes: Buffer.byteLength(canonical, 'utf8'), pid: process.pid };
});

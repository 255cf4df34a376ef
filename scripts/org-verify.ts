// npm run org:verify -- <slug> [note] — the instance operator verifies an organization by hand (audited).
import { closeDb, getDb } from '../db';
import { verifyOrganizationByOperator } from '../lib/orgs';

const [slug, ...note] = process.argv.slice(2).filter((a) => a !== '--');
if (!slug) {
  console.error('usage: npm run org:verify -- <organization-slug> [note]');
  process.exit(2);
}
verifyOrganizationByOperator({ db: getDb(), actor: null }, { slug, note: note.join(' ') || undefined })
  .then(async (r) => {
    console.log(r.changed ? `[org:verify] ${slug} is now verified by the operator` : `[org:verify] ${slug} was already verified by the operator`);
    await closeDb();
  })
  .catch(async (e) => {
    console.error(`[org:verify] ${e?.code === 'NOT_FOUND' ? `no organization with slug "${slug}"` : e instanceof Error ? e.message : String(e)}`);
    await closeDb();
    process.exit(1);
  });

// Runs in each test file's process: clone the migrated template into a database of its own.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import { closeDb } from '@/db';

const adminUrl = inject('adminUrl');
const name = `ut_${crypto.randomBytes(6).toString('hex')}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE undersigned_test_template`);
const u = new URL(adminUrl);
u.pathname = `/${name}`;
process.env.DATABASE_URL = u.toString();
process.env.TEST_ADMIN_URL = adminUrl;

afterAll(async () => {
  await closeDb();
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

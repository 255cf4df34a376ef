// Reads for public pages. They take the database only (no actor): public data, no e-mail or user id (I13).
import { getDb } from '@/db';
import { getPublicOrganization, listDirectory } from './orgs';

export const publicOrganization = (slug: string) => getPublicOrganization(getDb(), slug);
export const publicDirectory = (q: string | undefined, page: number) => listDirectory(getDb(), { q, page });

/** The organization's name in the page language when it has one. */
export const displayName = (o: { name: string; names: Partial<Record<string, string>> }, lang: string) => o.names[lang] ?? o.name;

import nodemailer from 'nodemailer';
import { getDb } from '@/db';
import { devMailbox } from '@/db/schema';
import { env } from '@/lib/env';
import type { RenderedMail } from './render';

export type OutgoingMail = RenderedMail & { to: string; headers?: Record<string, string> };
export type Transport = { send: (mail: OutgoingMail) => Promise<void> };

let smtp: { url: string; t: nodemailer.Transporter } | null = null;

/** SMTP when SMTP_URL is set; otherwise the development mailbox table (the only place a live link may rest). */
export function defaultTransport(): Transport {
  const e = env();
  if (e.SMTP_URL) {
    if (!smtp || smtp.url !== e.SMTP_URL) smtp = { url: e.SMTP_URL, t: nodemailer.createTransport(e.SMTP_URL) };
    const t = smtp.t;
    return {
      send: async (m) => {
        await t.sendMail({ from: e.MAIL_FROM, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers });
      },
    };
  }
  if (e.NODE_ENV === 'production' && !e.DEV_MAILBOX_UNSAFE_IN_PRODUCTION) {
    throw new Error('No SMTP_URL in production: refusing to use the development mailbox.');
  }
  return {
    send: async (m) => {
      await getDb()
        .insert(devMailbox)
        .values({ toEmail: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers ?? {} });
    },
  };
}

/** Send now with a few quick retries (used for magic links, which must not wait for the relay or be stored). */
export async function sendWithRetries(transport: Transport, mail: OutgoingMail, attempts = 3): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await transport.send(mail);
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
  }
  throw last instanceof Error ? last : new Error('mail delivery failed');
}

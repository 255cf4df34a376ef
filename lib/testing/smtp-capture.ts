// A loopback SMTP server for tests (smtp-server, from nodemailer's author): captures every message it
// accepts, or rejects every message with an SMTP error, and counts per recipient.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type CapturedMail = {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  raw: string;
};

export type SmtpCapture = {
  port: number;
  /** SMTP_URL for nodemailer (plain SMTP on loopback, no STARTTLS). */
  url: string;
  messages: CapturedMail[];
  /** Messages refused in 'reject' mode. */
  rejected: number;
  /** Accepted messages per recipient address. */
  perRecipient: () => Map<string, number>;
  /** Resolves once `n` messages in total have been accepted. */
  waitFor: (n: number, deadlineMs?: number) => Promise<void>;
  reset: () => void;
  close: () => Promise<void>;
};

export async function startSmtpCapture(opts: { mode?: 'accept' | 'reject'; rejectCode?: number } = {}): Promise<SmtpCapture> {
  const mode = opts.mode ?? 'accept';
  const messages: CapturedMail[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const state = { rejected: 0 };
  const notify = () => {
    for (const w of [...waiters]) {
      if (messages.length < w.n) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode === 'reject') {
          state.rejected++;
          const err = Object.assign(new Error('Mailbox unavailable (test capture rejects everything)'), {
            responseCode: opts.rejectCode ?? 550,
          });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const headers: Record<string, string> = {};
            for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers,
              raw,
            });
            callback();
            notify();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    messages,
    get rejected() {
      return state.rejected;
    },
    perRecipient: () => {
      const m = new Map<string, number>();
      for (const msg of messages) for (const to of msg.to) m.set(to, (m.get(to) ?? 0) + 1);
      return m;
    },
    waitFor: (n, deadlineMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (messages.length >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`smtp capture: ${messages.length} of ${n} messages after ${deadlineMs} ms`)), deadlineMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    reset: () => {
      messages.length = 0;
      state.rejected = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

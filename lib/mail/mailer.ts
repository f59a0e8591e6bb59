import "server-only";

import { createTransport, type Transporter } from "nodemailer";

import { env } from "../env";

/**
 * The app's own mail (key expiry warnings, leak notices — Supabase Auth sends its own
 * through its SMTP settings): one SMTP transport from SMTP_URL, locally the stack's
 * Mailpit, in production any provider. Plain text always; HTML only where a message
 * gains from it. A send that fails throws: callers decide whether to retry (a cron job
 * records what was sent only after the send resolved, so a failure is retried next run).
 */
export type Mail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
};

let transport: Transporter | undefined;

function transporter(): Transporter {
  // Pooled: a cron run that sends a batch reuses one connection; a few seconds of
  // timeouts so a dead SMTP server fails the send instead of hanging a request.
  transport ??= createTransport(
    { url: env.SMTP_URL, pool: true, maxConnections: 2, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 },
    { from: env.MAIL_FROM },
  );
  return transport;
}

/** Sends one message; resolves with the SMTP message id once the server accepted it. */
export async function sendMail(mail: Mail): Promise<string> {
  const info = await transporter().sendMail({ to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
  return info.messageId;
}

// The mail GoTrue sends for the flows this server implements — sign-up confirmation,
// password recovery, e-mail change — through the SMTP server in GOTRUE_SMTP_* (the
// stack's Mailpit), with GoTrue's default subjects and bodies and its link: the
// GOTRUE_MAILER_URLPATHS_* path resolved against API_EXTERNAL_URL, with
// `token=<token hash>&type=<type>&redirect_to=<referrer>` as its query.
import { createHash, randomInt } from "node:crypto";
import nodemailer from "nodemailer";

import { tooManyRequests } from "./errors.ts";
import type { Ctx } from "./http.ts";

export type MailKind = "signup" | "recovery" | "email_change";

const SUBJECTS: Record<MailKind, string> = {
  signup: "Confirm your email address",
  recovery: "Reset your password",
  email_change: "Confirm your new email address",
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function body(kind: MailKind, link: string, newEmail: string): string {
  const a = (text: string) => `<p><a href="${escapeHtml(link)}">${text}</a></p>`;
  if (kind === "signup") return `<h2>Confirm your email address</h2>\n\n<p>Follow the link below to confirm this email address and finish signing up.</p>\n${a("Confirm email address")}\n`;
  if (kind === "recovery") return `<h2>Reset your password</h2>\n\n<p>We received a request to reset your password. Follow the link below to choose a new one.</p>\n${a("Reset password")}\n<p>If you didn't request this, you can safely ignore this email.</p>`;
  return `<h2>Confirm your new email address</h2>\n\n<p>Follow the link below to confirm ${escapeHtml(newEmail)} as your new email address.</p>\n${a("Confirm new email address")}\n<p>If you didn't request this change, you can safely ignore this email.</p>`;
}

/** crypto.GenerateOtp: a numeric one-time code of GoTrue's default length (6). */
export const generateOtp = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** crypto.GenerateTokenHash: hex SHA-224 of the address and the code. What the link carries and the row stores. */
export const tokenHash = (email: string, otp: string) => createHash("sha224").update(email + otp).digest("hex");

/** validateSentWithinFrequencyLimit: one mail of a kind per user per GOTRUE_SMTP_MAX_FREQUENCY. */
export function checkFrequency(ctx: Ctx, sentAt: Date | null) {
  if (!sentAt) return;
  const left = sentAt.getTime() + ctx.deps.config.smtpMaxFrequency * 1000 - Date.now();
  if (left > 0) throw tooManyRequests("over_email_send_rate_limit", `For security purposes, you can only request this after ${Math.floor(left / 1000)} seconds.`);
}

/** utilities.GetReferrer: a redirect_to the allow list accepts (our site's own URLs), else the site URL. */
function referrer(ctx: Ctx): string {
  const asked = ctx.url.searchParams.get("redirect_to");
  const site = ctx.deps.config.siteUrl;
  return asked && (asked === site || asked.startsWith(`${site}/`)) ? asked : site;
}

/** templatemailer's getPath + ResolveReference. */
export function mailLink(ctx: Ctx, kind: MailKind, hash: string): string {
  const { config } = ctx.deps;
  const path = kind === "signup" ? config.urlPaths.confirmation : kind === "recovery" ? config.urlPaths.recovery : config.urlPaths.emailChange;
  const url = new URL(path, `${config.issuer}/`);
  let redirectTo = referrer(ctx);
  if (/[&=#]/.test(redirectTo)) redirectTo = encodeURIComponent(redirectTo);
  url.search = `token=${encodeURIComponent(hash)}&type=${kind}&redirect_to=${redirectTo}`;
  return url.toString();
}

let transport: ReturnType<typeof nodemailer.createTransport> | undefined;

/** Sends one of GoTrue's mails; a failure to send fails the request (GoTrue answers 500 then). */
export async function sendAuthMail(ctx: Ctx, kind: MailKind, to: string, hash: string, { newEmail = "" } = {}) {
  const { smtp } = ctx.deps.config;
  transport ??= nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
  await transport.sendMail({
    from: smtp.senderName ? { name: smtp.senderName, address: smtp.adminEmail } : smtp.adminEmail,
    to,
    subject: SUBJECTS[kind],
    html: body(kind, mailLink(ctx, kind, hash), newEmail),
  });
}

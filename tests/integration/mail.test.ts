import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { sendMail } from "../../lib/mail/mailer";
import { inbox, linksIn, waitForMail } from "../support/mailpit";

describe("the app's mail", () => {
  it("reaches the inbox through real SMTP, with the configured sender, subject, text and links", async () => {
    const to = `mail-${randomUUID()}@example.test`;
    await sendMail({ to, subject: "Your key expires in 7 days", text: "Roll it: http://localhost:3000/settings/api-keys\n" });
    const mail = await waitForMail(to, { subject: /expires in 7 days/ });
    expect(mail.From.Address).toBe("no-reply@tunedtensor.local");
    expect(mail.From.Name).toBe("Tuned Tensor");
    expect(mail.Text).toContain("Roll it:");
    expect(linksIn(mail)).toEqual(["http://localhost:3000/settings/api-keys"]);
    expect(await inbox(`other-${randomUUID()}@example.test`)).toEqual([]);
  });
});

"use client";

import { useEffect, useRef, type ReactNode } from "react";

import { CopyButton } from "@/components/copy-button";
import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DialogActions } from "@/components/ui/dialog";
import { FieldHint, Label, inputClasses } from "@/components/ui/field";
import type { CreatedApiKey } from "@/lib/contract";
import { accessLabel } from "@/lib/ui/api-key-scopes";

/**
 * A new key, shown once (after creating or rolling one): a warning, the whole key
 * selected, a copy button. The key lives only in the dialog's state that renders this.
 */
export function NewKeyReveal({ created }: { created: CreatedApiKey }) {
  const keyInput = useRef<HTMLTextAreaElement>(null);
  // The key replaces the form in the same dialog; move focus to it.
  useEffect(() => {
    keyInput.current?.select();
  }, [created]);

  return (
    <>
    <Alert tone="warning" title="Copy this key now — it won't be shown again">
      Store it somewhere safe, such as a password manager or your CI&apos;s secret store. We keep only a hash of
      it, so if you lose it, revoke it and create a new one.
    </Alert>
    <div className="space-y-1.5">
      <Label htmlFor="new-api-key">API key “{created.name}”</Label>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        {/* A textarea so the whole key is visible (it wraps on phones) and can be checked by eye. */}
        <textarea
          ref={keyInput}
          id="new-api-key"
          readOnly
          rows={1}
          value={created.key}
          autoComplete="off"
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby="new-api-key-hint"
          className={inputClasses(false, "field-sizing-content resize-none font-mono text-[0.8125rem] break-all")}
        />
        <CopyButton value={created.key} onFailure={() => keyInput.current?.select()} />
      </div>
      <FieldHint id="new-api-key-hint">
        {created.expires_at ? (
          <>
            Expires <LocalTime iso={created.expires_at} format="datetime" />.
          </>
        ) : (
          "Never expires."
        )}{" "}
        Access: {accessLabel(created.scopes)}. Use it with <code className="font-mono">tt auth login &lt;key&gt;</code> or an{" "}
        <code className="font-mono">Authorization: Bearer</code> header.
      </FieldHint>
    </div>
    </>
  );
}

/**
 * A key dialog's last step: the new key shown once, what the dialog adds about it
 * (`children`), and Done, which closes the dialog and drops the key.
 */
export function NewKeyStep({ created, onDone, children }: { created: CreatedApiKey; onDone: () => void; children?: ReactNode }) {
  return (
    <div className="space-y-5">
      <NewKeyReveal created={created} />
      {children}
      <DialogActions>
        <Button variant="primary" onClick={() => onDone()}>
          Done
        </Button>
      </DialogActions>
    </div>
  );
}

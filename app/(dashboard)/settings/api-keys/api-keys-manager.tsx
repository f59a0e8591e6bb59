"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ApiErrorAlert } from "@/components/api-error-alert";
import type { ApiKey, Scope } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";
import type { ApiKeyStatus } from "@/lib/ui/api-key-status";
import { useCallFailure } from "@/lib/ui/use-call-failure";

import { ApiKeysTable } from "./api-keys-table";
import { RevokeApiKeyDialog } from "./revoke-api-key-dialog";

// The create and roll dialogs (their forms, the scope and limit fields, the contract's schemas
// that check them, the new key's reveal) are fetched when first opened, not with the page: most
// visits to the list create and roll nothing (tests/e2e/page-weight.spec.ts). Once opened, each
// stays mounted, as before.
const CreateApiKeyDialog = dynamic(() => import("./create-api-key-dialog").then((m) => m.CreateApiKeyDialog), { ssr: false });
const RollApiKeyDialog = dynamic(() => import("./roll-api-key-dialog").then((m) => m.RollApiKeyDialog), { ssr: false });

export type ApiKeyRow = ApiKey & {
  status: ApiKeyStatus;
  /** Days left, for an active key expiring within 7. */
  expiresInDays: number | null;
  /** Who holds it, in words: "You", a member's address, a service account's name. */
  holderLabel: string;
};

const KEY_ICON = (
  <svg aria-hidden="true" viewBox="0 0 16 16" className="size-5 fill-current">
    <path d="M10.5 1a4.5 4.5 0 0 0-4.36 5.62L1.22 11.53a.75.75 0 0 0-.22.53v2.19c0 .41.34.75.75.75h2.5a.75.75 0 0 0 .75-.75V13.5h1.25a.75.75 0 0 0 .75-.75V11.5h1.25a.75.75 0 0 0 .53-.22l.86-.86A4.5 4.5 0 1 0 10.5 1Zm-3 4.5a3 3 0 1 1 2.15 2.88.75.75 0 0 0-.74.19L7.69 10H6.25a.75.75 0 0 0-.75.75V12H4.25a.75.75 0 0 0-.75.75v.75h-1v-1.13l5.03-5.03a.75.75 0 0 0 .19-.74A3 3 0 0 1 7.5 5.5Zm4.5-.75a.75.75 0 1 1-1.5 0 .75.75 0 0 1 1.5 0Z" />
  </svg>
);

/**
 * Settings → API Keys: the list (rendered on the server, passed in) with Create and
 * Revoke. Both go through /api/v1 with the session cookie, then router.refresh()
 * re-renders the list from the server. The dialogs live here, at a fixed place in the
 * tree, so a refresh that changes the list never unmounts an open dialog.
 */
export function ApiKeysManager({
  keys,
  anyKeys,
  pagination,
  canCreate,
  allowedScopes,
  organizationName,
}: {
  keys: ApiKeyRow[];
  anyKeys: boolean;
  pagination: React.ReactNode;
  /** The organization's policy lets the user's role make keys. */
  canCreate: boolean;
  /** What a new key may hold (the role's scopes within the policy's). */
  allowedScopes: readonly Scope[];
  /** null in the personal workspace. */
  organizationName: string | null;
}) {
  const router = useRouter();
  const [createOpen, setCreateOpen] = useState(false);
  const [createMounted, setCreateMounted] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [rolling, setRolling] = useState<ApiKeyRow | null>(null);
  const [rollMounted, setRollMounted] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [narrowing, setNarrowing] = useState<string | null>(null);
  const { failure: narrowFailure, fail: failNarrow, clear: clearNarrowFailure } = useCallFailure();

  /** One click from the suggestion: PATCH the key down to the scopes it used. */
  async function narrow(key: ApiKeyRow, scopes: Scope[]) {
    setNotice(null);
    clearNarrowFailure();
    setNarrowing(key.id);
    const result = await callApi("updateApiKey", { params: { id: key.id }, body: { scopes } });
    setNarrowing(null);
    if (!result.ok) {
      failNarrow(result);
      notices.current?.focus();
      return;
    }
    setNotice(`Narrowed the key “${key.name}” (${key.key_prefix}…) to ${result.data.scopes.join(", ")}. Requests that need another scope are now refused.`);
    // Its suggestion is about to disappear: focus the confirmation instead.
    notices.current?.focus();
    router.refresh();
  }

  const createButton = useRef<HTMLButtonElement>(null);
  const notices = useRef<HTMLDivElement>(null);
  // Where focus goes when a dialog closes, if not back to the button that opened it.
  const createFocus = useRef<HTMLElement | null>(null);
  const revokeFocus = useRef<HTMLElement | null>(null);
  const rollFocus = useRef<HTMLElement | null>(null);

  function openCreate(fromEmptyState: boolean) {
    // The empty state's button disappears once the first key exists: return to the header's.
    createFocus.current = fromEmptyState ? createButton.current : null;
    setNotice(null);
    setCreateMounted(true);
    setCreateOpen(true);
  }

  return (
    <div className="space-y-8">
      <div>
        <PageHeader
          eyebrow="Settings"
          title="API keys"
          description={
            <>
              Keys authenticate the <code className="font-mono text-[0.8125rem]">tt</code> CLI and REST requests (
              <code className="font-mono text-[0.8125rem]">Authorization: Bearer tt_…</code>). A key is shown once, when you
              create it, and can do only what its access allows. Revoking a key stops it working immediately.
            </>
          }
          actions={
            canCreate ? (
            <Button ref={createButton} variant="primary" onClick={() => openCreate(false)}>
              <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
                <path d="M7.25 2.75a.75.75 0 0 1 1.5 0v4.5h4.5a.75.75 0 0 1 0 1.5h-4.5v4.5a.75.75 0 0 1-1.5 0v-4.5h-4.5a.75.75 0 0 1 0-1.5h4.5v-4.5Z" />
              </svg>
              Create API key
            </Button>
            ) : undefined
          }
        />

        {/* Always in the page (a live region must exist before it changes); takes no space when empty. */}
        <div ref={notices} tabIndex={-1} role="status" className="mt-6 focus:outline-none empty:mt-0">
          {notice ? <Alert tone="success">{notice}</Alert> : null}
          <ApiErrorAlert error={narrowFailure} />
        </div>
        {canCreate ? null : (
          <Alert tone="info" className="mt-6">
            {organizationName ?? "This organization"}&apos;s policy does not let your role create API keys. Ask an owner or admin, or use a service account&apos;s key.
          </Alert>
        )}
      </div>

      {anyKeys ? (
        <>
          <ApiKeysTable
            keys={keys}
            narrowing={narrowing}
            onNarrow={(key, scopes) => void narrow(key, scopes)}
            onRevoke={(key) => {
              revokeFocus.current = null;
              setNotice(null);
              setRevoking(key);
            }}
            onRoll={(key) => {
              // Its Roll button disappears once rolled: focus the confirmation instead.
              rollFocus.current = notices.current;
              setNotice(null);
              setRollMounted(true);
              setRolling(key);
            }}
          />
          {pagination}
        </>
      ) : (
        <EmptyState
          icon={KEY_ICON}
          title="No API keys yet"
          action={
            canCreate ? (
              <Button variant="secondary" onClick={() => openCreate(true)}>
                Create your first key
              </Button>
            ) : undefined
          }
        >
          Create a key to use the <code className="font-mono">tt</code> CLI (
          <code className="font-mono">tt auth login tt_…</code>) or to call the REST API from your own code.
        </EmptyState>
      )}

      {createMounted && (
        <CreateApiKeyDialog
          open={createOpen}
          allowed={allowedScopes}
          finalFocus={createFocus}
          onClose={() => setCreateOpen(false)}
          onCreated={(key) => {
            setNotice(`Created the key “${key.name}” (${key.key_prefix}…).`);
            // Show the new row behind the dialog; the dialog's state (the key) survives.
            router.refresh();
          }}
        />
      )}
      {rollMounted && (
        <RollApiKeyDialog
          target={rolling}
          finalFocus={rollFocus}
          onClose={() => setRolling(null)}
          onRolled={(previous) => {
            setNotice(`Rolled the key “${previous.name}” (${previous.key_prefix}…).`);
            // Show the new row behind the dialog; the dialog's state (the new key) survives.
            router.refresh();
          }}
        />
      )}
      <RevokeApiKeyDialog
        target={revoking}
        finalFocus={revokeFocus}
        onClose={() => setRevoking(null)}
        onRevoked={(key) => {
          setNotice(`Revoked the key “${key.name}” (${key.key_prefix}…). Requests that use it are now refused.`);
          // Its Revoke button is about to disappear: focus the confirmation instead.
          revokeFocus.current = notices.current;
          setRevoking(null);
          router.refresh();
        }}
      />
    </div>
  );
}

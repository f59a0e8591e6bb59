"""Schemathesis hooks for `npm run fuzz` (scripts/fuzz.ts). Both only adjust requests
just before they are sent; Schemathesis revalidates a case that a `before_call` hook
edits, so what it records and checks is what was really sent.

1. The fuzzing key is never revoked (nor rolled, nor given usage limits). The fuzzer authenticates with an API key
   of its own, DELETE /api/v1/api-keys/{id} revokes keys and POST …/{id}/roll ends a key
   after its grace window (0 s: at once). Schemathesis learns real key ids from
   responses (GET /api/v1/me names the calling key, GET /api/v1/api-keys lists them) and
   reuses them in later requests, in every phase, so sooner or later it would revoke the
   key it is fuzzing with and every request after that would be a 403. Excluding the
   operations would leave them untested; instead a protected key id (the fuzzing
   key's) is swapped for a decoy key's id, which revokes (or rolls) a real row, so their
   success paths are exercised too (a decoy rolled or revoked before answers 409). So is a
   PATCH that sets the fuzzing key's `limits` (a key may lower its own: 1 request a second
   would leave the rest of the run 429s). scripts/fuzz.ts checks afterwards that the key works.

2. A valid new key expires in the future, and at most 10 years from now. POST
   /api/v1/api-keys (and a service account's POST …/service-accounts/{id}/keys) refuses an `expires_at` in the past (400: a key that is born expired is
   a mistake) or past the horizon, rules JSON Schema cannot state (they depend on the
   clock), so some bodies that the document allows are refused by design and the
   positive-data check would report them. For the cases Schemathesis generates as valid,
   and only those, an `expires_at` in this year or before, or 10 or more years ahead, is
   moved to the next leap year after this one (so a 29 February stays a real date); its
   format is kept. Bodies generated
   as invalid are left alone, and any other refusal of a valid body still fails the run.

3. A valid change of a key narrows it. PATCH /api/v1/api-keys/{id} refuses (400) any scope
   the key does not have: a key can be narrowed, never widened — a rule about the row, which
   JSON Schema cannot state. For the cases generated as valid, and only those, whose body
   names scopes and whose id is one of the user's keys, the scopes are cut to those the key
   has now (asked of the API with the session just before sending; a key left with none of
   them keeps its first one). Any other refusal of a valid body still fails the run.

4. Rules across a usage limit's fields and a reserved slug, which JSON Schema cannot state: a
   rate's `burst` is only for a rate per minute and at most its `requests`, and `p-` followed
   by 32 hex digits is the personal workspaces' slug. For the cases generated as valid, and
   only those, a burst that breaks them is cut to `requests` (or dropped for a rate per
   second) wherever a limit appears in a body, and such a slug gets another first letter.
   Any other refusal of a valid body still fails the run.

5. Use after free (ST301), but for a key's usage. Revoking a key (DELETE) is a soft delete:
   the key stays listed with its status, and what it did stays readable on purpose. The
   built-in check is switched off in the run's config and this one runs it for every other
   operation.
"""

import atexit
import datetime
import json
import os
import re
import sys
import urllib.request

import schemathesis

REVOKE = ("DELETE", "/api/v1/api-keys/{id}")
ROLL = ("POST", "/api/v1/api-keys/{id}/roll")
CREATE_KEYS = {("POST", "/api/v1/api-keys"), ("POST", "/api/v1/organization/service-accounts/{id}/keys")}
CHANGE_KEY = ("PATCH", "/api/v1/api-keys/{id}")
APP_URL = os.environ.get("TT_FUZZ_APP_URL", "")
SESSION_COOKIE = os.environ.get("TT_FUZZ_COOKIE", "")
PROTECTED = {value.strip().lower() for value in os.environ.get("TT_FUZZ_PROTECTED_KEY_IDS", "").split(",") if value.strip()}
DECOYS = [value.strip() for value in os.environ.get("TT_FUZZ_DECOY_KEY_IDS", "").split(",") if value.strip()]

def _next_leap_year(after):
    year = after + 1
    while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        year += 1
    return year

swapped = 0


@atexit.register
def _report():
    if swapped:
        print(f"[fuzz hooks] {swapped} revocation(s) of the fuzzing key's id sent to a decoy key instead", file=sys.stderr)


def _operation(case):
    return (case.operation.method.upper(), case.operation.path)


def _is_positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _scopes_of(key_id):
    """The key's scopes now, through the API with the fuzz user's session; None if unknown."""
    if not APP_URL or not SESSION_COOKIE:
        return None
    request = urllib.request.Request(f"{APP_URL}/api/v1/api-keys?per_page=100", headers={"cookie": SESSION_COOKIE})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            keys = json.load(response).get("data", [])
    except Exception:  # noqa: BLE001 - then the case goes as generated
        return None
    for key in keys:
        if isinstance(key, dict) and str(key.get("id", "")).lower() == key_id.lower():
            return key.get("scopes")
    return None


PERSONAL_SLUG = re.compile(r"^p-[0-9a-f]{32}$")


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _within_cross_field_rules(value):
    """Item 4 above: bursts within their rate, no personal-workspace slug, anywhere in a body."""
    if isinstance(value, list):
        for item in value:
            _within_cross_field_rules(item)
    elif isinstance(value, dict):
        # JSON's integers may come as floats (7602.0): any number that is not a boolean.
        requests, burst = value.get("requests"), value.get("burst")
        if _number(requests) and value.get("per") in ("second", "minute") and _number(burst):
            value["burst"] = None if value["per"] == "second" else min(burst, requests)
        if isinstance(value.get("slug"), str) and PERSONAL_SLUG.match(value["slug"]):
            value["slug"] = "q" + value["slug"][1:]
        for item in value.values():
            _within_cross_field_rules(item)


@schemathesis.hook
def before_call(context, case, kwargs):
    global swapped
    operation = _operation(case)
    limits_change = operation == CHANGE_KEY and isinstance(case.body, dict) and "limits" in case.body
    if operation in (REVOKE, ROLL) or limits_change:
        parameters = case.path_parameters or {}
        value = parameters.get("id")
        if isinstance(value, str) and value.lower() in PROTECTED:
            if not DECOYS:
                raise RuntimeError("fuzz hooks: a protected API key id is about to be revoked and no decoy id is set")
            parameters["id"] = DECOYS[swapped % len(DECOYS)]
            swapped += 1
    if _is_positive(case) and isinstance(case.body, (dict, list)):
        _within_cross_field_rules(case.body)
    if operation in CREATE_KEYS and _is_positive(case) and isinstance(case.body, dict):
        expires_at = case.body.get("expires_at")
        this_year = datetime.datetime.now(datetime.timezone.utc).year
        if isinstance(expires_at, str) and expires_at[:4].isdigit() and not this_year < int(expires_at[:4]) < this_year + 10:
            case.body["expires_at"] = str(_next_leap_year(this_year)) + expires_at[4:]
    elif operation == CHANGE_KEY and _is_positive(case) and isinstance(case.body, dict) and isinstance(case.body.get("scopes"), list):
        key_id = (case.path_parameters or {}).get("id")
        held = _scopes_of(key_id) if isinstance(key_id, str) else None
        if isinstance(held, list) and held:
            narrowed = [scope for scope in case.body["scopes"] if scope in held]
            case.body["scopes"] = narrowed or held[:1]


USAGE = ("GET", "/api/v1/api-keys/{id}/usage")


@schemathesis.check
def use_after_free_but_usage(ctx, response, case):
    """Schemathesis' use_after_free, except for a revoked key's usage (see 5. above)."""
    from schemathesis.specs.openapi.checks import use_after_free

    if (case.operation.method.upper(), case.operation.path) == USAGE:
        return None
    return use_after_free(ctx, response, case)

// Supabase Auth's messages are terse and technical ("Invalid login credentials");
// these say what happened and what to do about it. Branch on the stable `code`
// (auth-js's error_code), never on the message. Pure: used by the account forms' Server
// Actions and by unit tests.

export type AuthErrorLike = {
  code?: string | undefined;
  status?: number | undefined;
  message?: string | undefined;
  name?: string | undefined;
  reasons?: string[] | undefined;
};

const UNREACHABLE = "Couldn't reach the sign-in service. Check your connection and try again.";

function unreachable(error: AuthErrorLike): boolean {
  // auth-js reports a failed fetch as AuthRetryableFetchError with status 0; a 5xx
  // from the gateway (auth server down behind it) is just as unreachable to a person.
  return error.status === 0 || error.status === undefined || error.name === "AuthRetryableFetchError" || (error.status ?? 0) >= 502;
}

export function describeLoginError(error: AuthErrorLike): string {
  switch (error.code) {
    case "invalid_credentials":
      return "Incorrect email or password. Check them and try again.";
    case "email_not_confirmed":
      return "Your email address isn't confirmed yet. Open the link in the confirmation email, then log in.";
    case "over_request_rate_limit":
      return "Too many attempts. Wait a minute, then try again.";
    case "user_banned":
      return "This account has been suspended.";
    case "validation_failed":
      return "Enter a valid email address and your password.";
  }
  if (unreachable(error)) return UNREACHABLE;
  return "Logging in didn't work. Please try again.";
}

export function describeSignupError(error: AuthErrorLike): string {
  switch (error.code) {
    case "user_already_exists":
    case "email_exists":
      return "An account with this email already exists. Log in instead, or use another email address.";
    case "weak_password":
      return weakPasswordMessage(error);
    case "email_address_invalid":
    case "validation_failed":
      return error.message && /password/i.test(error.message)
        ? error.message
        : "That doesn't look like a valid email address. Check it and try again.";
    case "signup_disabled":
      return "New sign-ups are turned off at the moment.";
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return "Too many attempts. Wait a minute, then try again.";
  }
  if (unreachable(error)) return UNREACHABLE;
  return "Creating your account didn't work. Please try again.";
}

function weakPasswordMessage(error: AuthErrorLike): string {
  const reasons = error.reasons ?? [];
  if (reasons.includes("pwned")) {
    return "This password has appeared in a data breach. Choose a different one.";
  }
  if (reasons.includes("characters")) {
    return "Choose a stronger password: mix upper- and lower-case letters, digits and symbols.";
  }
  // The server's own sentence names its minimum length ("Password should be at least 6 characters.").
  const detail = error.message && /at least \d+/.test(error.message) ? ` ${error.message}` : "";
  return `Choose a longer password.${detail}`;
}

/** Supabase Auth's refusals of a new password, in words, with the form field they are about. */
export function describePasswordError(code: string, message: string): { message: string; field?: string } {
  switch (code) {
    case "weak_password":
      return { message: `Choose a longer password.${/at least \d+/.test(message) ? ` ${message}` : ""}`, field: "password" };
    case "same_password":
      return { message: "That is your current password. Choose a new one.", field: "password" };
    case "current_password_required":
    case "current_password_invalid":
      return { message: "Your current password is not right.", field: "current" };
    case "session_not_found":
    case "bad_jwt":
      return { message: "Your session has ended. Log in again." };
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return { message: "Too many attempts. Wait a minute, then try again." };
  }
  return { message: "Changing the password didn't work. Try again." };
}

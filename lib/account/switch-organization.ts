import { switchOrganizationAction } from "./organization-actions";

/**
 * From a dialog's code, after the API answered: the dashboard switches to the organization
 * `slug` ("" : back to the personal workspace) and goes on to `next`, through the
 * switcher's Server Action, which checks the membership itself.
 */
export function switchOrganization(slug: string, next: string): Promise<void> {
  const form = new FormData();
  form.set("organization", slug);
  form.set("next", next);
  return switchOrganizationAction(form);
}

import { navigate, pathOf, type Route } from './router.js';

type Props = {
  /** An organization of the viewer's to go to instead; without one, the dashboard's home page. */
  fallback?: { id: string; name: string } | undefined;
};

/**
 * A link to an organization the viewer does not belong to (or that does not exist: the server does
 * not tell which), instead of quietly showing another organization under that address.
 */
export function OrganizationNotFound({ fallback }: Props) {
  const target: Route = fallback ? { page: 'organization-settings', organizationId: fallback.id } : { page: 'home' };
  return (
    <section aria-labelledby="not-found-heading" class="card not-found">
      <h1 id="not-found-heading">Organization not found, or you are not a member</h1>
      <p>
        This link leads to an organization that does not exist or that you do not belong to. If someone invited
        you, open the invitation link they sent you; to be added again, ask one of its owners or admins.
      </p>
      <p>
        <a href={pathOf(target)} onClick={(event) => (event.preventDefault(), navigate(target))}>
          {fallback ? `Go to ${fallback.name}` : 'Go to the dashboard'}
        </a>
      </p>
    </section>
  );
}

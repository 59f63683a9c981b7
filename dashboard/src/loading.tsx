/** Said while a page's data is on its way (to screen readers too). */
export function Loading({ what }: { what?: string }) {
  return (
    <p class="loading" role="status">
      {what ? `Loading ${what}…` : 'Loading…'}
    </p>
  );
}

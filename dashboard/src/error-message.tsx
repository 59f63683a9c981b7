/** An action's error, announced to screen readers; nothing when there is none. */
export function ErrorMessage({ message }: { message: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

import type { ComponentChildren } from 'preact';
import { navigate, pathOf, type Route } from './router.js';

type Props = { to: Route; children: ComponentChildren; class?: string; 'aria-current'?: 'page' };

/** A link to a dashboard page: opened in place, or in a new tab with the usual modifier keys. */
export function Link({ to, children, ...attributes }: Props) {
  return (
    <a
      {...attributes}
      href={pathOf(to)}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

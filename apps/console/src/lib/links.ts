import type { MeView } from '@cur/contracts';
import { hrefOf } from '../app/router';

const LIST_VIEWS = ['all', 'inbox', 'queue'] as const;

/** Where a message opens for this user: the card in the first list view the server gives them. */
export function messageHref(me: MeView, id: string): string | null {
  const view = me.views.find((v) => (LIST_VIEWS as readonly string[]).includes(v));
  return view ? hrefOf(view, { m: id }) : null;
}

import type { MeView } from '@cur/contracts';
import { navigate } from '../app/router';
import { messageHref } from '../lib/links';

/** A message by a short number; it opens in the user's list view, with its card. */
export function MessageLink({ me, id }: { me: MeView; id: string }) {
  const href = messageHref(me, id);
  const label = `№ ${id.slice(0, 8)}`;
  if (!href) return <span title={id}>{label}</span>;
  return (
    <a
      href={href}
      title="Открыть сообщение"
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {label}
    </a>
  );
}

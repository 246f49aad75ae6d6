/**
 * A search fragment with its matches marked. The server puts each match between \u0001 and \u0002
 * in plain text; React escapes every piece, so a message's text can never become markup.
 */
export function Highlight({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let rest = text;
  let key = 0;
  for (;;) {
    const start = rest.indexOf('\u0001');
    if (start < 0) break;
    const end = rest.indexOf('\u0002', start + 1);
    if (end < 0) break;
    if (start > 0) parts.push(rest.slice(0, start));
    parts.push(<mark key={key++}>{rest.slice(start + 1, end)}</mark>);
    rest = rest.slice(end + 1);
  }
  parts.push(rest.split('\u0001').join('').split('\u0002').join(''));
  return <>{parts}</>;
}

/**
 * RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, line breaks and doubled
 * quotes. A UTF-8 byte-order mark is dropped. Returns the rows as arrays of fields.
 */
export function parseCsv(input: string): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      const next = text.indexOf('"', i);
      const end = next === -1 ? text.length : next;
      field += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export class CsvColumnError extends Error {}

/** Reads two named columns of a CSV with a header row; rows with an empty label are skipped and counted. */
export function readLabelledCsv(input: string, textColumn: string, labelColumn: string): { examples: { text: string; label: string }[]; skipped: number } {
  const [header, ...rows] = parseCsv(input);
  if (!header) throw new CsvColumnError('the file is empty');
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i === -1) throw new CsvColumnError(`column "${name}" not found; the file has: ${header.join(', ')}`);
    return i;
  };
  const t = at(textColumn);
  const l = at(labelColumn);
  const examples: { text: string; label: string }[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    const label = (row[l] ?? '').trim();
    if (!label) {
      skipped++;
      continue;
    }
    examples.push({ text: row[t] ?? '', label });
  }
  return { examples, skipped };
}

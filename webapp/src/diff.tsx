// A diff of two versions of a key: lines for text, markdown and JSON; rows and cells for tables.
import { diffArrays, diffLines } from 'diff';
import { cellText } from './ui';

export interface Content {
  kind: 'text' | 'table';
  text: string;
  columns: string[];
  rows: unknown[][];
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function contentOf(a: {
  type: string;
  data?: unknown;
  preview?: { text?: string | null; columns?: string[] | null; rows?: unknown[][] | null } | null;
}): Content {
  const empty: Content = { kind: 'text', text: '', columns: [], rows: [] };
  if (a.type === 'MARKDOWN') return { ...empty, text: typeof a.data === 'string' ? a.data : '' };
  if (a.type === 'TABLE') {
    const t = (a.data ?? {}) as { columns?: unknown[]; rows?: unknown[][] };
    return { kind: 'table', text: '', columns: (t.columns ?? []).map(String), rows: t.rows ?? [] };
  }
  if (a.type === 'CSV' && a.preview?.columns && a.preview.rows) {
    return { kind: 'table', text: '', columns: a.preview.columns, rows: a.preview.rows };
  }
  if (a.type === 'LINK') return { ...empty, text: JSON.stringify(stable(a.data), null, 2) };
  const text = a.preview?.text ?? '';
  if (a.type === 'JSON') {
    try {
      return { ...empty, text: JSON.stringify(stable(JSON.parse(text)), null, 2) + '\n' };
    } catch {
      return { ...empty, text };
    }
  }
  return { ...empty, text };
}

export function TextDiff(props: { before: string; after: string }) {
  const parts = diffLines(props.before, props.after);
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.added) added += p.count ?? 0;
    if (p.removed) removed += p.count ?? 0;
  }
  return (
    <div>
      <p class="diff-summary">
        {added} line(s) added, {removed} line(s) removed
      </p>
      <pre class="diff" tabIndex={0} aria-label="Line diff">
        {parts.map((p, i) => {
          const mark = p.added ? '+' : p.removed ? '-' : ' ';
          const cls = p.added ? 'add' : p.removed ? 'del' : 'same';
          const lines = p.value.replace(/\n$/, '').split('\n');
          return lines.map((line, j) => (
            <span key={`${i}-${j}`} class={`line ${cls}`}>
              {mark} {line}
              {'\n'}
            </span>
          ));
        })}
      </pre>
    </div>
  );
}

type RowOp =
  | { op: 'same'; row: unknown[] }
  | { op: 'add'; row: unknown[] }
  | { op: 'del'; row: unknown[] }
  | { op: 'change'; before: unknown[]; row: unknown[] };

export function rowOps(before: unknown[][], after: unknown[][]): RowOp[] {
  const key = (r: unknown[]) => JSON.stringify(r);
  const parts = diffArrays(before.map(key), after.map(key));
  const ops: RowOp[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const p = parts[i];
    const rows = p.value.map((s) => JSON.parse(s) as unknown[]);
    const next = parts[i + 1];
    if (p.removed && next?.added) {
      const added = next.value.map((s) => JSON.parse(s) as unknown[]);
      const n = Math.min(rows.length, added.length);
      for (let j = 0; j < n; j += 1) ops.push({ op: 'change', before: rows[j], row: added[j] });
      rows.slice(n).forEach((row) => ops.push({ op: 'del', row }));
      added.slice(n).forEach((row) => ops.push({ op: 'add', row }));
      i += 1;
    } else {
      rows.forEach((row) => ops.push({ op: p.added ? 'add' : p.removed ? 'del' : 'same', row }));
    }
  }
  return ops;
}

export function TableDiff(props: { before: Content; after: Content }) {
  const columns = [...props.after.columns];
  props.before.columns.forEach((c) => columns.includes(c) || columns.push(c));
  const realign = (c: Content) =>
    c.rows.map((r) => columns.map((col) => r[c.columns.indexOf(col)] ?? null));
  const ops = rowOps(realign(props.before), realign(props.after));
  const counts = { add: 0, del: 0, change: 0 };
  ops.forEach((o) => o.op !== 'same' && (counts[o.op] += 1));
  const label = { same: '', add: 'added', del: 'removed', change: 'changed' };
  return (
    <div>
      <p class="diff-summary">
        {counts.add} row(s) added, {counts.del} removed, {counts.change} changed
        {columns.length !== props.before.columns.length ||
        columns.length !== props.after.columns.length
          ? '; columns differ'
          : ''}
      </p>
      <div class="scroll" tabIndex={0} role="region" aria-label="Table diff">
        <table class="table-diff">
          <caption>Rows of the two versions</caption>
          <thead>
            <tr>
              <th scope="col">Change</th>
              {columns.map((c) => (
                <th key={c} scope="col" class={props.before.columns.includes(c) ? (props.after.columns.includes(c) ? '' : 'del') : 'add'}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ops.map((o, i) => (
              <tr key={i} class={`row-${o.op}`}>
                <td>{label[o.op]}</td>
                {o.row.map((cell, j) => {
                  if (o.op === 'change' && cellText(o.before[j]) !== cellText(cell)) {
                    return (
                      <td key={j} class="cell-changed">
                        <del>{cellText(o.before[j])}</del> <ins>{cellText(cell)}</ins>
                      </td>
                    );
                  }
                  return <td key={j}>{cellText(cell)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

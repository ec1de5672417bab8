import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiError } from './api';
import type { ArtifactRowFragment } from './gql/graphql';
import { navigate } from './router';

export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  const onClick = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} onClick={onClick} class={props.class}>
      {props.children}
    </a>
  );
}

export const path = {
  workflow: (id: string) => `/workflows/${encodeURIComponent(id)}`,
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
  job: (id: string) => `/job-runs/${encodeURIComponent(id)}`,
  artifact: (id: string) => `/artifacts/${encodeURIComponent(id)}`,
  key: (key: string) => `/keys/${encodeURIComponent(key)}`,
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${value.toFixed(1)} ${units[i]}`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function duration(start: string | null | undefined, end: string | null | undefined): string {
  if (!start) return '—';
  const ms = (end ? new Date(end) : new Date()).getTime() - new Date(start).getTime();
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function Status(props: { value: string }) {
  return <span class={`status status-${props.value.toLowerCase()}`}>{props.value}</span>;
}

export function ErrorBox(props: { error: ApiError }) {
  return (
    <p class="error" role="alert">
      {props.error.message} <span class="code">({props.error.code})</span>
    </p>
  );
}

export function Loading() {
  return (
    <p class="muted" aria-live="polite">
      Loading…
    </p>
  );
}

export function Pager(props: {
  page: number;
  hasNext: boolean;
  onNext: () => void;
  onPrev: () => void;
  label: string;
}) {
  if (props.page === 1 && !props.hasNext) return null;
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <button type="button" onClick={props.onPrev} disabled={props.page === 1}>
        Previous page
      </button>
      <span>Page {props.page}</span>
      <button type="button" onClick={props.onNext} disabled={!props.hasNext}>
        Next page
      </button>
    </nav>
  );
}

export function ArtifactTable(props: {
  artifacts: ArtifactRowFragment[];
  caption: string;
  empty: string;
  showRun?: boolean;
}) {
  if (props.artifacts.length === 0) {
    return <p class="empty">{props.empty}</p>;
  }
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Key</th>
          <th scope="col">Type</th>
          <th scope="col">Size</th>
          <th scope="col">Version</th>
          {props.showRun && <th scope="col">Run</th>}
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {props.artifacts.map((a) => (
          <tr key={a.id} data-artifact-id={a.id}>
            <td>
              <Link href={path.artifact(a.id)}>{a.displayName}</Link>
              {a.category && <span class="tag">{a.category}</span>}
            </td>
            <td>{a.key ? <Link href={path.key(a.key)}>{a.key}</Link> : '—'}</td>
            <td>{a.type}</td>
            <td>{formatBytes(a.sizeBytes)}</td>
            <td>{a.version ?? '—'}</td>
            {props.showRun && (
              <td>
                {a.workflowRun ? (
                  <Link href={path.run(a.workflowRun.id)}>
                    {a.workflowRun.name ?? a.workflowRun.id.slice(0, 8)}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
            )}
            <td>{formatTime(a.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** JSON as a collapsible tree of <details>; every value is rendered as text. */
export function JsonTree(props: { value: unknown; label?: string; open?: boolean }) {
  const { value, label } = props;
  const name = label !== undefined ? <span class="json-key">{label}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="json-leaf">
        {name}
        <span class={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <details class="json-node" open={props.open ?? true}>
      <summary>
        {name}
        {brackets[0]} {entries.length} {entries.length === 1 ? 'item' : 'items'} {brackets[1]}
      </summary>
      {entries.map(([k, v]) => (
        <JsonTree key={k} value={v} label={k} open={false} />
      ))}
    </details>
  );
}

export function DataTable(props: { columns: string[]; rows: unknown[][]; caption: string }) {
  const size = 50;
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(props.rows.length / size));
  const rows = props.rows.slice(page * size, page * size + size);
  return (
    <div>
      <div class="scroll" tabIndex={0} role="region" aria-label={props.caption}>
        <table>
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((c, i) => (
                <th key={i} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cellText(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Table"
        page={page + 1}
        hasNext={page + 1 < pages}
        onNext={() => setPage(page + 1)}
        onPrev={() => setPage(Math.max(0, page - 1))}
      />
    </div>
  );
}

export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

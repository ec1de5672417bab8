// Previews, bounded and safe: nothing an artifact holds is ever run in the app's origin.
import { useEffect, useState } from 'preact/hooks';
import { request } from './api';
import { renderMarkdown } from './markdown';
import { InlineUrlQuery } from './queries';
import { DataTable, JsonTree } from './ui';

export interface PreviewData {
  text?: string | null;
  truncated?: boolean;
  columns?: string[] | null;
  rows?: unknown[][] | null;
}

export function Markdown(props: { source: string }) {
  return (
    <div class="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(props.source) }} />
  );
}

function asTable(data: unknown): { columns: string[]; rows: unknown[][] } | null {
  if (!data || typeof data !== 'object') return null;
  const t = data as { columns?: unknown; rows?: unknown };
  if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) return null;
  return {
    columns: t.columns.map(String),
    rows: t.rows.map((r) => (Array.isArray(r) ? r : [r])),
  };
}

export function safeHttpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function InlineFile(props: { id: string; kind: 'image' | 'pdf'; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    request(InlineUrlQuery, { id: props.id }).then(
      (d) => setUrl(d.artifact?.signedUrl?.url ?? null),
      (e: Error) => setFailed(e.message),
    );
  }, [props.id]);
  if (failed) return <p class="error">{failed}</p>;
  if (!url) return <p class="muted">Loading preview…</p>;
  if (props.kind === 'image') {
    return <img class="preview-image" src={url} alt={`Preview of ${props.name}`} />;
  }
  return (
    <iframe
      class="preview-pdf"
      src={url}
      title={`PDF preview of ${props.name}`}
      referrerpolicy="no-referrer"
      sandbox=""
    />
  );
}

function Truncated(props: { preview: PreviewData | null | undefined }) {
  return props.preview?.truncated ? (
    <p class="muted">Only the first part is shown: download the file for all of it.</p>
  ) : null;
}

export function Preview(props: {
  id: string;
  type: string;
  name: string;
  data: unknown;
  preview: PreviewData | null | undefined;
}) {
  const { type, data, preview } = props;
  switch (type) {
    case 'MARKDOWN':
      return <Markdown source={typeof data === 'string' ? data : ''} />;
    case 'TABLE': {
      const table = asTable(data);
      return table ? (
        <DataTable columns={table.columns} rows={table.rows} caption={props.name} />
      ) : (
        <p class="empty">This table is empty.</p>
      );
    }
    case 'LINK': {
      const link = (data ?? {}) as { url?: unknown; text?: unknown };
      const href = safeHttpUrl(link.url);
      const text = typeof link.text === 'string' && link.text ? link.text : String(link.url ?? '');
      return href ? (
        <p>
          <a href={href} rel="noopener noreferrer" target="_blank">
            {text}
          </a>{' '}
          <span class="muted">({href})</span>
        </p>
      ) : (
        <p class="error">This link is not an http(s) URL and is not shown as a link.</p>
      );
    }
    case 'PNG':
    case 'JPEG':
    case 'WEBP':
    case 'GIF':
      return <InlineFile id={props.id} kind="image" name={props.name} />;
    case 'PDF':
      return <InlineFile id={props.id} kind="pdf" name={props.name} />;
    case 'JSON': {
      const text = preview?.text ?? '';
      let parsed: unknown;
      let ok = false;
      if (!preview?.truncated) {
        try {
          parsed = JSON.parse(text);
          ok = true;
        } catch {
          ok = false;
        }
      }
      return ok ? (
        <div class="json">
          <JsonTree value={parsed} />
        </div>
      ) : (
        <div>
          <pre class="source">{text}</pre>
          <Truncated preview={preview} />
        </div>
      );
    }
    case 'CSV':
      if (preview?.columns && preview.rows) {
        return (
          <div>
            <DataTable columns={preview.columns} rows={preview.rows} caption={`${props.name} (first rows)`} />
            <Truncated preview={preview} />
          </div>
        );
      }
      return <pre class="source">{preview?.text ?? ''}</pre>;
    case 'TEXT':
    case 'HTML':
    case 'SVG':
    case 'XML':
      // Active content is shown as escaped source text, never rendered.
      return (
        <div>
          {type !== 'TEXT' && <p class="muted">{type} is shown as source; it is never rendered here.</p>}
          <pre class="source" tabIndex={0}>
            {preview?.text ?? ''}
          </pre>
          <Truncated preview={preview} />
        </div>
      );
    default:
      return <p class="empty">No preview for {type} files: download it.</p>;
  }
}

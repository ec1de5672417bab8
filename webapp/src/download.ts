// Downloads: a signed URL minted at the moment of the click, never one from page load.
import { downloadZip } from 'client-zip';
import { request } from './api';
import type { ArtifactFilter } from './gql/graphql';
import type { BundleQuery } from './gql/graphql';
import { BundleQuery as BundleDoc, DownloadUrlQuery } from './queries';

function save(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener noreferrer';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export async function downloadArtifact(id: string): Promise<void> {
  const data = await request(DownloadUrlQuery, { id });
  const url = data.artifact?.signedUrl?.url;
  if (!url) throw new Error('This artifact has no file to download (it is not available).');
  save(url, data.artifact?.displayName ?? 'artifact');
}

const INLINE_EXT: Record<string, string> = { MARKDOWN: 'md', TABLE: 'json', LINK: 'json' };

function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_') || 'artifact';
}

/** Every artifact of a run or job run into one zip, built in the browser as it streams. */
export async function downloadAll(filter: ArtifactFilter, zipName: string): Promise<number> {
  const items: { id: string; name: string; data: unknown; url: string | null; type: string }[] =
    [];
  let after: string | null = null;
  for (;;) {
    const page: BundleQuery = await request(BundleDoc, { filter, after });
    for (const a of page.artifacts.nodes) {
      const version = a.version ? `v${a.version}-` : '';
      const base = `${a.key ? `${a.key}/` : ''}${version}${safeName(a.displayName)}`;
      const ext = INLINE_EXT[a.type];
      items.push({
        id: a.id,
        name: ext && !base.endsWith(`.${ext}`) ? `${base}.${ext}` : base,
        data: a.data,
        url: a.signedUrl?.url ?? null,
        type: a.type,
      });
    }
    if (!page.artifacts.pageInfo.hasNextPage) break;
    after = page.artifacts.pageInfo.endCursor ?? null;
  }
  const seen = new Set<string>();
  async function* files() {
    for (const item of items) {
      let name = item.name;
      for (let i = 2; seen.has(name); i += 1) name = `${item.name} (${i})`;
      seen.add(name);
      if (item.url) {
        const response = await fetch(item.url, { referrerPolicy: 'no-referrer' });
        if (!response.ok) throw new Error(`Storage answered ${response.status} for ${name}.`);
        yield { name, input: response };
      } else {
        const text = typeof item.data === 'string' ? item.data : JSON.stringify(item.data, null, 2);
        yield { name, input: text };
      }
    }
  }
  const zip = downloadZip(files());
  const picker = (window as unknown as { showSaveFilePicker?: (o: object) => Promise<FileSystemFileHandle> })
    .showSaveFilePicker;
  if (picker && zip.body) {
    // Stream straight to disk where the browser allows it.
    try {
      const handle = await picker({ suggestedName: zipName });
      const writable = await (handle as unknown as { createWritable: () => Promise<WritableStream> }).createWritable();
      await zip.body.pipeTo(writable);
      return items.length;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return 0;
    }
  }
  const blob = await zip.blob();
  const href = URL.createObjectURL(blob);
  save(href, zipName);
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return items.length;
}

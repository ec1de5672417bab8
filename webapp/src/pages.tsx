import { useState } from 'preact/hooks';
import { contentOf, TableDiff, TextDiff, type Content } from './diff';
import { downloadAll, downloadArtifact } from './download';
import type { ArtifactFilter, ArtifactType, RunStatus } from './gql/graphql';
import { usePager, useQuery } from './hooks';
import { useLive } from './live';
import { Markdown, Preview } from './preview';
import {
  ArtifactQuery,
  ContentQuery,
  HomeQuery,
  HomeSideQuery,
  JobQuery,
  KeyQuery,
  RunQuery,
  WorkflowQuery,
} from './queries';
import {
  ArtifactTable,
  duration,
  ErrorBox,
  formatBytes,
  formatTime,
  JsonTree,
  Link,
  Loading,
  Pager,
  path,
  Status,
} from './ui';

const TYPES: ArtifactType[] = [
  'MARKDOWN', 'TABLE', 'LINK', 'JSON', 'TEXT', 'PNG', 'JPEG', 'WEBP', 'GIF', 'SVG', 'PDF', 'CSV',
  'XML', 'HTML', 'BINARY',
];
const STATUSES: RunStatus[] = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];

function NotFound(props: { what: string }) {
  return (
    <section>
      <h1>{props.what} not found</h1>
      <p>
        It does not exist or belongs to another organization. <Link href="/">Back to the start page</Link>
      </p>
    </section>
  );
}

export function Home() {
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [type, setType] = useState('');
  const [category, setCategory] = useState('');
  const [workflowId, setWorkflowId] = useState('');
  const [runStatus, setRunStatus] = useState('');
  const pager = usePager();
  const filter: ArtifactFilter = {};
  if (name) filter.displayName = { contains: name };
  if (key) filter.key = { startsWith: key };
  if (type) filter.type = [type as ArtifactType];
  if (category) filter.category = { eq: category };
  if (workflowId) filter.workflowId = { eq: workflowId };
  if (runStatus) filter.workflowRun = { status: [runStatus as RunStatus] };
  const latest = useQuery(HomeQuery, { filter, first: 25, after: pager.after });
  const unkeyedFilter: ArtifactFilter = { ...filter, key: { exists: false } };
  const side = useQuery(HomeSideQuery, { unkeyed: unkeyedFilter });
  const change = (set: (v: string) => void) => (e: Event) => {
    set((e.currentTarget as HTMLInputElement).value);
    pager.reset();
  };
  return (
    <section>
      <h1>Latest artifacts</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Name contains <input type="search" value={name} onInput={change(setName)} />
        </label>
        <label>
          Key starts with <input type="search" value={key} onInput={change(setKey)} />
        </label>
        <label>
          Type{' '}
          <select value={type} onChange={change(setType)}>
            <option value="">any</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category <input type="text" value={category} onInput={change(setCategory)} />
        </label>
        <label>
          Workflow{' '}
          <select value={workflowId} onChange={change(setWorkflowId)}>
            <option value="">any</option>
            {side.data?.workflows.nodes.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Run status{' '}
          <select value={runStatus} onChange={change(setRunStatus)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      {latest.error && <ErrorBox error={latest.error} />}
      {latest.data ? (
        <>
          <ArtifactTable
            artifacts={latest.data.latestArtifacts.nodes}
            caption={`Newest version of each key (${latest.data.latestArtifacts.totalCount})`}
            empty="No keyed artifact matches."
            showRun
          />
          <Pager
            label="Latest artifacts"
            page={pager.page}
            hasNext={latest.data.latestArtifacts.pageInfo.hasNextPage}
            onNext={() => pager.next(latest.data?.latestArtifacts.pageInfo.endCursor)}
            onPrev={pager.prev}
          />
        </>
      ) : (
        !latest.error && <Loading />
      )}
      {side.data && (
        <>
          <h2>Recent artifacts without a key</h2>
          <ArtifactTable
            artifacts={side.data.unkeyed.nodes}
            caption="Recent unkeyed artifacts"
            empty="No unkeyed artifact matches."
            showRun
          />
          <div class="columns">
            <div>
              <h2>Recent job runs</h2>
              {side.data.jobRuns.nodes.length === 0 ? (
                <p class="empty">No job runs yet.</p>
              ) : (
                <ul class="list">
                  {side.data.jobRuns.nodes.map((j) => (
                    <li key={j.id}>
                      <Link href={path.job(j.id)}>{j.name ?? j.id}</Link> <Status value={j.status} />{' '}
                      <span class="muted">{formatTime(j.createdAt)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h2>Recent workflow runs</h2>
              {side.data.workflowRuns.nodes.length === 0 ? (
                <p class="empty">No workflow runs yet.</p>
              ) : (
                <ul class="list">
                  {side.data.workflowRuns.nodes.map((r) => (
                    <li key={r.id}>
                      <Link href={path.run(r.id)}>{r.name ?? r.id}</Link> of{' '}
                      <Link href={path.workflow(r.workflow.id)}>{r.workflow.name}</Link>{' '}
                      <Status value={r.status} /> <span class="muted">{formatTime(r.createdAt)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
      {side.error && <ErrorBox error={side.error} />}
    </section>
  );
}

export function WorkflowPage(props: { id: string }) {
  const runs = usePager();
  const arts = usePager();
  const q = useQuery(WorkflowQuery, { id: props.id, runsAfter: runs.after, artifactsAfter: arts.after });
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Loading />;
  const w = q.data.workflow;
  if (!w) return <NotFound what="Workflow" />;
  return (
    <section>
      <h1>Workflow {w.name}</h1>
      {w.tags.length > 0 && (
        <p>
          {w.tags.map((t) => (
            <span key={t} class="tag">
              {t}
            </span>
          ))}
        </p>
      )}
      {w.description && <Markdown source={w.description} />}
      <h2>Runs ({w.runs.totalCount})</h2>
      {w.runs.nodes.length === 0 ? (
        <p class="empty">This workflow has no runs yet.</p>
      ) : (
        <table>
          <caption>Runs of {w.name}</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {w.runs.nodes.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={path.run(r.id)}>{r.name ?? r.id}</Link>
                </td>
                <td>
                  <Status value={r.status} />
                </td>
                <td>{formatTime(r.createdAt)}</td>
                <td>{duration(r.startedAt, r.endedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Runs" page={runs.page} hasNext={w.runs.pageInfo.hasNextPage} onNext={() => runs.next(w.runs.pageInfo.endCursor)} onPrev={runs.prev} />
      <h2>Artifacts ({w.artifacts.totalCount})</h2>
      <ArtifactTable artifacts={w.artifacts.nodes} caption={`Artifacts of ${w.name}`} empty="This workflow has published no artifacts." showRun />
      <Pager label="Artifacts" page={arts.page} hasNext={w.artifacts.pageInfo.hasNextPage} onNext={() => arts.next(w.artifacts.pageInfo.endCursor)} onPrev={arts.prev} />
    </section>
  );
}

function DownloadAll(props: { filter: ArtifactFilter; name: string; count: number }) {
  const [state, setState] = useState<string | null>(null);
  if (props.count === 0) return null;
  const run = async () => {
    setState('Preparing the zip…');
    try {
      const n = await downloadAll(props.filter, props.name);
      setState(n ? `Zipped ${n} artifact(s).` : null);
    } catch (error) {
      setState(`Download failed: ${(error as Error).message}`);
    }
  };
  return (
    <p>
      <button type="button" onClick={run}>
        Download all ({props.count}) as zip
      </button>{' '}
      {state && <span role="status">{state}</span>}
    </p>
  );
}

function LiveNote(props: { state: string; last: string | null }) {
  return (
    <p class="muted live" data-live={props.state} role="status">
      Live updates: {props.state}
      {props.last ? `; new artifact: ${props.last}` : ''}
    </p>
  );
}

export function RunPage(props: { id: string }) {
  const pager = usePager();
  const q = useQuery(RunQuery, { id: props.id, after: pager.after });
  const [last, setLast] = useState<string | null>(null);
  const live = useLive({ workflowRunId: props.id }, (name) => {
    setLast(name);
    q.reload();
  });
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Loading />;
  const r = q.data.workflowRun;
  if (!r) return <NotFound what="Workflow run" />;
  return (
    <section>
      <h1>Run {r.name ?? r.id}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <Status value={r.status} />
        </dd>
        <dt>Workflow</dt>
        <dd>
          <Link href={path.workflow(r.workflow.id)}>{r.workflow.name}</Link>
        </dd>
        <dt>Job run</dt>
        <dd>{r.jobRun ? <Link href={path.job(r.jobRun.id)}>{r.jobRun.name ?? r.jobRun.id}</Link> : '—'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(r.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(r.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(r.endedAt)}</dd>
        <dt>Duration</dt>
        <dd>{duration(r.startedAt, r.endedAt)}</dd>
      </dl>
      <h2>Parameters</h2>
      <div class="json">
        <JsonTree value={r.parameters} />
      </div>
      <h2 id="artifacts">Artifacts ({r.artifacts.totalCount})</h2>
      <LiveNote state={live} last={last} />
      <DownloadAll filter={{ workflowRunId: { eq: r.id } }} name={`run-${r.id}.zip`} count={r.artifacts.totalCount} />
      <ArtifactTable artifacts={r.artifacts.nodes} caption={`Artifacts of run ${r.name ?? r.id}`} empty="This run has published no artifacts yet." />
      <Pager label="Artifacts" page={pager.page} hasNext={r.artifacts.pageInfo.hasNextPage} onNext={() => pager.next(r.artifacts.pageInfo.endCursor)} onPrev={pager.prev} />
    </section>
  );
}

export function JobPage(props: { id: string }) {
  const runs = usePager();
  const pager = usePager();
  const q = useQuery(JobQuery, { id: props.id, runsAfter: runs.after, after: pager.after });
  const [last, setLast] = useState<string | null>(null);
  const live = useLive({ jobRunId: props.id }, (name) => {
    setLast(name);
    q.reload();
  });
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Loading />;
  const j = q.data.jobRun;
  if (!j) return <NotFound what="Job run" />;
  return (
    <section>
      <h1>Job run {j.name ?? j.id}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <Status value={j.status} />
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(j.createdAt)}</dd>
        <dt>Duration</dt>
        <dd>{duration(j.startedAt, j.endedAt)}</dd>
      </dl>
      <h2>Metadata</h2>
      <div class="json">
        <JsonTree value={j.metadata} />
      </div>
      <h2>Workflow runs ({j.workflowRuns.totalCount})</h2>
      {j.workflowRuns.nodes.length === 0 ? (
        <p class="empty">No workflow runs in this job run.</p>
      ) : (
        <ul class="list">
          {j.workflowRuns.nodes.map((r) => (
            <li key={r.id}>
              <Link href={path.run(r.id)}>{r.name ?? r.id}</Link> of{' '}
              <Link href={path.workflow(r.workflow.id)}>{r.workflow.name}</Link> <Status value={r.status} />
            </li>
          ))}
        </ul>
      )}
      <Pager label="Workflow runs" page={runs.page} hasNext={j.workflowRuns.pageInfo.hasNextPage} onNext={() => runs.next(j.workflowRuns.pageInfo.endCursor)} onPrev={runs.prev} />
      <h2 id="artifacts">Artifacts of every run ({j.artifacts.totalCount})</h2>
      <LiveNote state={live} last={last} />
      <DownloadAll filter={{ jobRunId: { eq: j.id } }} name={`job-run-${j.id}.zip`} count={j.artifacts.totalCount} />
      <ArtifactTable artifacts={j.artifacts.nodes} caption="Roll-up of the job run's artifacts" empty="No run of this job has published an artifact yet." showRun />
      <Pager label="Artifacts" page={pager.page} hasNext={j.artifacts.pageInfo.hasNextPage} onNext={() => pager.next(j.artifacts.pageInfo.endCursor)} onPrev={pager.prev} />
    </section>
  );
}

export function ArtifactPage(props: { id: string }) {
  const versions = usePager();
  const q = useQuery(ArtifactQuery, { id: props.id, versionsAfter: versions.after });
  const [message, setMessage] = useState<string | null>(null);
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Loading />;
  const a = q.data.artifact;
  if (!a) return <NotFound what="Artifact" />;
  const isFile = !['MARKDOWN', 'TABLE', 'LINK'].includes(a.type);
  const download = async () => {
    setMessage(null);
    try {
      await downloadArtifact(a.id);
    } catch (error) {
      setMessage((error as Error).message);
    }
  };
  return (
    <section>
      <h1>{a.displayName}</h1>
      {isFile && a.status === 'AVAILABLE' && (
        <p>
          <button type="button" class="primary" onClick={download}>
            Download
          </button>{' '}
          {message && <span role="alert">{message}</span>}
        </p>
      )}
      <dl class="facts">
        <dt>Type</dt>
        <dd>
          {a.type} <span class="muted">({a.mimeType})</span>
        </dd>
        <dt>Key</dt>
        <dd>{a.key ? <Link href={path.key(a.key)}>{a.key}</Link> : '—'}</dd>
        <dt>Version</dt>
        <dd>
          {a.version ?? '—'} {a.isLatest && a.key && <span class="tag">latest</span>}
        </dd>
        <dt>Status</dt>
        <dd>
          <Status value={a.status} />
        </dd>
        <dt>Category</dt>
        <dd>{a.category ?? '—'}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(a.sizeBytes)}</dd>
        <dt>sha256</dt>
        <dd>
          <code class="hash">{a.sha256}</code>
        </dd>
        <dt>Run</dt>
        <dd>{a.workflowRun ? <Link href={path.run(a.workflowRun.id)}>{a.workflowRun.name ?? a.workflowRun.id}</Link> : '—'}</dd>
        <dt>Workflow</dt>
        <dd>{a.workflow ? <Link href={path.workflow(a.workflow.id)}>{a.workflow.name}</Link> : '—'}</dd>
        <dt>Job run</dt>
        <dd>{a.jobRun ? <Link href={path.job(a.jobRun.id)}>{a.jobRun.name ?? a.jobRun.id}</Link> : '—'}</dd>
        <dt>Created</dt>
        <dd>
          {formatTime(a.createdAt)} by {a.createdBy}
        </dd>
      </dl>
      {a.description && (
        <>
          <h2>Description</h2>
          <Markdown source={a.description} />
        </>
      )}
      <h2>Preview</h2>
      <div class="preview">
        <Preview id={a.id} type={a.type} name={a.displayName} data={a.data} preview={a.preview} />
      </div>
      <h2>Metadata</h2>
      <div class="json">
        <JsonTree value={a.metadata} />
      </div>
      {a.key && (
        <>
          <h2>Versions ({a.versions.totalCount})</h2>
          <p>
            <Link href={path.key(a.key)}>Compare versions of {a.key}</Link>
          </p>
          <ArtifactTable artifacts={a.versions.nodes} caption={`Versions of ${a.key}`} empty="No other version." />
          <Pager label="Versions" page={versions.page} hasNext={a.versions.pageInfo.hasNextPage} onNext={() => versions.next(a.versions.pageInfo.endCursor)} onPrev={versions.prev} />
        </>
      )}
    </section>
  );
}

function Diff(props: { before: string; after: string }) {
  const a = useQuery(ContentQuery, { id: props.before });
  const b = useQuery(ContentQuery, { id: props.after });
  if (a.error) return <ErrorBox error={a.error} />;
  if (b.error) return <ErrorBox error={b.error} />;
  if (!a.data?.artifact || !b.data?.artifact) return <Loading />;
  const before: Content = contentOf(a.data.artifact);
  const after: Content = contentOf(b.data.artifact);
  const truncated = a.data.artifact.preview?.truncated || b.data.artifact.preview?.truncated;
  return (
    <div class="diff-view" aria-live="polite">
      {truncated && <p class="muted">Large files: only their first 256 KB are compared.</p>}
      {before.kind === 'table' && after.kind === 'table' ? (
        <TableDiff before={before} after={after} />
      ) : (
        <TextDiff before={before.text} after={after.text} />
      )}
    </div>
  );
}

export function KeyPage(props: { lineage: string }) {
  const pager = usePager();
  const q = useQuery(KeyQuery, { key: props.lineage, after: pager.after });
  const [left, setLeft] = useState('');
  const [right, setRight] = useState('');
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <Loading />;
  const nodes = q.data.artifacts.nodes;
  if (nodes.length === 0) return <NotFound what={`Key ${props.lineage}`} />;
  const before = left || (nodes[1] ?? nodes[0]).id;
  const after = right || nodes[0].id;
  return (
    <section>
      <h1>Key {props.lineage}</h1>
      <h2>Timeline ({q.data.artifacts.totalCount} versions)</h2>
      <ol class="timeline">
        {nodes.map((n) => (
          <li key={n.id}>
            <Link href={path.artifact(n.id)}>
              v{n.version} {n.displayName}
            </Link>{' '}
            <span class="muted">
              {n.type}, {formatBytes(n.sizeBytes)}, {formatTime(n.createdAt)}
            </span>
            {n.isLatest && <span class="tag">latest</span>}
            {n.workflowRun && (
              <>
                {' '}
                from <Link href={path.run(n.workflowRun.id)}>{n.workflowRun.name ?? n.workflowRun.id}</Link>
              </>
            )}
          </li>
        ))}
      </ol>
      <Pager label="Versions" page={pager.page} hasNext={q.data.artifacts.pageInfo.hasNextPage} onNext={() => pager.next(q.data?.artifacts.pageInfo.endCursor)} onPrev={pager.prev} />
      <h2>Compare two versions</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From{' '}
          <select value={before} onChange={(e) => setLeft(e.currentTarget.value)}>
            {nodes.map((n) => (
              <option key={n.id} value={n.id}>
                v{n.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          To{' '}
          <select value={after} onChange={(e) => setRight(e.currentTarget.value)}>
            {nodes.map((n) => (
              <option key={n.id} value={n.id}>
                v{n.version}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Diff before={before} after={after} />
    </section>
  );
}

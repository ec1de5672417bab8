// A small client written against the generated types, the way an application would use them.
// tsc --strict checks it; the @ts-expect-error lines prove the types are precise (tsc fails if
// any of them stops being an error, e.g. if a nullable field became non-null or `any`).
import type {
  ArtifactQuery,
  ArtifactQueryVariables,
  ArtifactsQuery,
  ArtifactsQueryVariables,
  ArtifactType,
  BeginArtifactUploadMutation,
  BeginArtifactUploadMutationVariables,
  CompleteArtifactUploadMutation,
  CompleteArtifactUploadMutationVariables,
  CreateMarkdownArtifactMutation,
  CreateMarkdownArtifactMutationVariables,
  CreateTableArtifactMutation,
  CreateTableArtifactMutationVariables,
  CreateWorkflowMutation,
  CreateWorkflowMutationVariables,
  CreateWorkflowRunMutation,
  CreateWorkflowRunMutationVariables,
  DeleteArtifactsByKeyMutation,
  DeleteArtifactsByKeyMutationVariables,
  LatestArtifactsQuery,
  LatestArtifactsQueryVariables,
  ViewerQuery,
  ViewerQueryVariables,
} from "./generated/graphql";

/** Operation name -> [result, variables]: ties each document to its generated types. */
interface Operations {
  Viewer: [ViewerQuery, ViewerQueryVariables];
  CreateWorkflow: [CreateWorkflowMutation, CreateWorkflowMutationVariables];
  CreateWorkflowRun: [CreateWorkflowRunMutation, CreateWorkflowRunMutationVariables];
  CreateMarkdownArtifact: [CreateMarkdownArtifactMutation, CreateMarkdownArtifactMutationVariables];
  CreateTableArtifact: [CreateTableArtifactMutation, CreateTableArtifactMutationVariables];
  BeginArtifactUpload: [BeginArtifactUploadMutation, BeginArtifactUploadMutationVariables];
  CompleteArtifactUpload: [CompleteArtifactUploadMutation, CompleteArtifactUploadMutationVariables];
  DeleteArtifactsByKey: [DeleteArtifactsByKeyMutation, DeleteArtifactsByKeyMutationVariables];
  Artifacts: [ArtifactsQuery, ArtifactsQueryVariables];
  LatestArtifacts: [LatestArtifactsQuery, LatestArtifactsQueryVariables];
  Artifact: [ArtifactQuery, ArtifactQueryVariables];
}
type Name = keyof Operations;

/** The documents of ../operations/*.graphql, bundled at build time (a loader's job, not ours). */
declare const DOCUMENTS: Readonly<Record<Name, string>>;

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string };
}

export class CairnError extends Error {
  constructor(readonly codes: readonly string[], message: string) {
    super(message);
  }
}

export class CairnClient {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async request<N extends Name>(name: N, variables: Operations[N][1]): Promise<Operations[N][0]> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query: DOCUMENTS[name], operationName: name, variables }),
    });
    const body = (await response.json()) as { data?: Operations[N][0]; errors?: GraphQLErrorBody[] };
    if (body.errors !== undefined && body.errors.length > 0) {
      const codes = body.errors.map((e) => e.extensions?.code ?? "UNKNOWN");
      throw new CairnError(codes, body.errors.map((e) => e.message).join("; "));
    }
    if (body.data === undefined) {
      throw new CairnError(["UNKNOWN"], `HTTP ${response.status} without data`);
    }
    return body.data;
  }
}

/** The sha256 of some bytes, hex (WebCrypto: browsers and Node alike). */
async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Publish a report and a table into a run, upload a JSON file, then read them back. */
export async function publishAndRead(client: CairnClient): Promise<string | undefined> {
  const { viewer } = await client.request("Viewer", {});
  const org: string = viewer.organizationId;

  const { createWorkflow } = await client.request("CreateWorkflow", {
    input: { name: "nightly-etl", tags: ["etl", org] },
  });
  const { createWorkflowRun: run } = await client.request("CreateWorkflowRun", {
    input: { workflowId: createWorkflow.id, name: "run-1", parameters: { day: "2024-01-01" } },
  });
  const runName: string | null = run.name;
  const workflowName: string = run.workflow.name;

  const md = await client.request("CreateMarkdownArtifact", {
    input: { type: "MARKDOWN", displayName: "summary.md", key: "summary", workflowRunId: run.id },
    markdown: `# ${workflowName} ${runName ?? ""}`,
  });
  const version: number | null = md.createArtifact.version;

  const table = await client.request("CreateTableArtifact", {
    input: { type: "TABLE", displayName: "rows", key: "rows", workflowRunId: run.id },
    table: { columns: ["a", "b"], rows: [[1, 2]] },
  });
  const tableRunStatus = table.createArtifact.workflowRun?.status;

  const payload = new TextEncoder().encode(JSON.stringify({ ok: true }));
  const { beginArtifactUpload: ticket } = await client.request("BeginArtifactUpload", {
    input: { type: "JSON", displayName: "report.json", key: "report", workflowRunId: run.id },
    sizeBytes: payload.byteLength,
    sha256: await sha256Hex(payload),
  });
  await fetch(ticket.uploadUrl.url, {
    method: ticket.method,
    headers: ticket.headers as Record<string, string>,
    body: payload,
  });
  const { completeArtifactUpload: done } = await client.request("CompleteArtifactUpload", {
    id: ticket.artifact.id,
  });
  const expiresAt: string | undefined = done.signedUrl?.expiresAt;

  const page = await client.request("Artifacts", {
    filter: { workflowRunId: { eq: run.id }, type: ["JSON", "MARKDOWN"], key: { exists: true } },
    sort: "CREATED_DESC",
    first: 10,
  });
  const total: number = page.artifacts.totalCount;
  const next: string | null = page.artifacts.pageInfo.hasNextPage
    ? page.artifacts.pageInfo.endCursor
    : null;
  // noUncheckedIndexedAccess: edges[0] may be missing; signedUrl is null for inline kinds.
  const firstUrl: string | undefined = page.artifacts.edges[0]?.node.signedUrl?.url;
  const kinds: ArtifactType[] = page.artifacts.edges.map((edge) => edge.node.type);
  const cursors: string[] = page.artifacts.edges.map((edge) => edge.cursor);
  const sizes: number[] = page.artifacts.edges.map((edge) => edge.node.sizeBytes);

  const latest = await client.request("LatestArtifacts", { first: 5 });
  const latestKeys = latest.latestArtifacts.nodes.map((node) => node.key ?? "(no key)");

  const one = await client.request("Artifact", { id: done.id });
  if (one.artifact === null) {
    return undefined; // another organization's id or a deleted one: null, not an error
  }
  const versions: (number | null)[] = one.artifact.versions.nodes.map((node) => node.version);

  const { deleteArtifactsByKey } = await client.request("DeleteArtifactsByKey", { key: "rows" });
  const deleted: number = deleteArtifactsByKey.deletedCount;

  console.log(version, tableRunStatus, expiresAt, total, next, kinds, cursors, sizes);
  console.log(latestKeys, versions, deleted, one.artifact.storagePath);
  return firstUrl ?? one.artifact.signedUrl?.url;
}

// ---- What the types must refuse ----

export function mistakes(page: ArtifactsQuery, one: ArtifactQuery): void {
  // @ts-expect-error signedUrl is nullable (inline kinds have none): no unchecked `.url`
  console.log(page.artifacts.edges[0]?.node.signedUrl.url);
  // @ts-expect-error artifact(id) is nullable: an unknown id answers null
  console.log(one.artifact.id);
  // @ts-expect-error key is nullable (artifacts without a lineage)
  const key: string = page.artifacts.edges[0]?.node.key ?? null;
  // @ts-expect-error only the schema's ArtifactType values are accepted
  const kind: ArtifactType = "MARKDOWNX";
  // @ts-expect-error fields the operation did not select are not there
  console.log(page.artifacts.edges[0]?.node.storagePath);
  console.log(key, kind);
}

export function badVariables(client: CairnClient): void {
  // @ts-expect-error displayName is required on ArtifactInput
  void client.request("CreateMarkdownArtifact", { input: { type: "MARKDOWN" }, markdown: "x" });
  // @ts-expect-error sort takes an ArtifactSort, not free text
  void client.request("Artifacts", { sort: "NEWEST" });
  // @ts-expect-error sizeBytes is a BigInt (a JSON number), not a string
  void client.request("BeginArtifactUpload", { input: { type: "JSON", displayName: "a" }, sizeBytes: "1", sha256: "" });
}

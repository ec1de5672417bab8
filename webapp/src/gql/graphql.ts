/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Which artifacts to list; given fields AND together. Without `status`, only AVAILABLE artifacts are listed. */
export type ArtifactFilter = {
  /** Matches its category. */
  category?: StringFilter | null | undefined;
  /** Created (publishing begun) within this range. */
  createdAt?: DateTimeFilter | null | undefined;
  /** Matches its display name. */
  displayName?: StringFilter | null | undefined;
  /** Matches the artifact's id. */
  id?: IdFilter | null | undefined;
  /** Artifacts of runs that belong to these job runs. */
  jobRunId?: IdFilter | null | undefined;
  /** Matches its key. */
  key?: KeyFilter | null | undefined;
  /** Matches its MIME type (stored lower-cased). */
  mimeType?: StringFilter | null | undefined;
  /** Any of these statuses; [AVAILABLE] when omitted or null. */
  status?: Array<ArtifactStatus> | null | undefined;
  /** Any of these types. */
  type?: Array<ArtifactType> | null | undefined;
  /** Artifacts of runs of these workflows. */
  workflowId?: IdFilter | null | undefined;
  /** Filter by the related run, e.g. its status. */
  workflowRun?: WorkflowRunFilter | null | undefined;
  /** Artifacts published to these workflow runs. */
  workflowRunId?: IdFilter | null | undefined;
};

/** Where an artifact is in publishing. Lists show AVAILABLE artifacts unless their filter's status says otherwise; artifact(id) returns any status. */
export type ArtifactStatus =
  /** Stored whole and verified (size and sha256): listed, versioned, signed. */
  | 'AVAILABLE'
  /** Publishing failed, e.g. completeArtifactUpload found the size, sha256 or content wrong. Has no version and no signed URL; publish again. */
  | 'FAILED'
  /** Publishing has begun (e.g. beginArtifactUpload) and the bytes are not verified yet: no version and no signed URL. An upload never completed is removed by the sweep. */
  | 'PENDING';

/** The format of the content. MARKDOWN, TABLE and LINK are inline: kept in the database and returned in `data`, with no signed URL. Every other type is a file: its bytes are in object storage, downloaded through `signedUrl`. The default MIME type is given with each; the content must fit the type (BAD_USER_INPUT otherwise). */
export type ArtifactType =
  /** Any other bytes (application/octet-stream unless mimeType says). */
  | 'BINARY'
  /** A CSV file (text/csv); no NUL bytes. */
  | 'CSV'
  /** A GIF image (image/gif); must start with GIF87a or GIF89a. */
  | 'GIF'
  /** An HTML page (text/html); no NUL bytes. Active content: downloads as application/octet-stream. */
  | 'HTML'
  /** A JPEG image (image/jpeg); must start with the JPEG signature. */
  | 'JPEG'
  /** A JSON file (application/json); must be valid UTF-8 JSON. createArtifact takes it as `data` too. */
  | 'JSON'
  /** A link, inline: `data` is {url, text} (text/uri-list); an absolute http or https URL of at most 2048 characters. Publish {url, text} or the URL as a string; text defaults to the URL. */
  | 'LINK'
  /** Markdown text, inline: `data` is the string (text/markdown). */
  | 'MARKDOWN'
  /** A PDF document (application/pdf); needs a %PDF- header. */
  | 'PDF'
  /** A PNG image (image/png); must start with the PNG signature. */
  | 'PNG'
  /** An SVG image (image/svg+xml); must start with '<' and have an <svg> element. Active content: downloads as application/octet-stream. */
  | 'SVG'
  /** A table, inline: `data` is {columns, rows} (application/json). Publish a list of row objects, {columns, rows} with rows as lists or objects, or an object of equally long columns; NaN and infinities become null. */
  | 'TABLE'
  /** A text file (text/plain); must be valid UTF-8. createArtifact takes it as `data` (a string) too. */
  | 'TEXT'
  /** A WebP image (image/webp); must start with the RIFF....WEBP signature. */
  | 'WEBP'
  /** An XML document (application/xml); must start with '<'. Active content: downloads as application/octet-stream. */
  | 'XML';

/** A time range; both bounds are inclusive, either may be omitted. */
export type DateTimeFilter = {
  /** At or after this time. */
  after?: string | null | undefined;
  /** At or before this time. */
  before?: string | null | undefined;
};

/** Matches an id; given fields AND together. An id that is not a UUID, or another organization's, matches nothing. */
export type IdFilter = {
  /** Exactly this id. */
  eq?: string | number | null | undefined;
  /** Any of these ids ([] matches nothing). */
  in?: Array<string | number> | null | undefined;
};

/** Matches an artifact's key; given fields AND together. */
export type KeyFilter = {
  /** Exactly this key. */
  eq?: string | null | undefined;
  /** true: only artifacts with a key; false: only those without one. */
  exists?: boolean | null | undefined;
  /** One of these keys ([] matches nothing). */
  in?: Array<string> | null | undefined;
  /** Keys that start with this, e.g. 'etl-'. */
  startsWith?: string | null | undefined;
};

/** Where a job run or workflow run is in its life. Setting RUNNING stamps startedAt (the first time); COMPLETED, FAILED and CANCELLED stamp endedAt; going back to PENDING or RUNNING clears endedAt. */
export type RunStatus =
  /** Stopped before it finished; stamps endedAt. */
  | 'CANCELLED'
  /** Finished successfully; stamps endedAt. */
  | 'COMPLETED'
  /** Finished with a failure; stamps endedAt. */
  | 'FAILED'
  /** Created, not started yet. */
  | 'PENDING'
  /** Executing (the default for new runs); stamps startedAt once. */
  | 'RUNNING';

/** Matches text; given fields AND together. */
export type StringFilter = {
  /** Contains this text, ignoring case. */
  contains?: string | null | undefined;
  /** Exactly this (case-sensitive). */
  eq?: string | null | undefined;
  /** Exactly one of these ([] matches nothing). */
  in?: Array<string> | null | undefined;
  /** Starts with this text (case-sensitive). */
  startsWith?: string | null | undefined;
};

/** Which workflow runs to list; given fields AND together. */
export type WorkflowRunFilter = {
  /** Created within this range. */
  createdAt?: DateTimeFilter | null | undefined;
  /** Matches the run's id. */
  id?: IdFilter | null | undefined;
  /** Runs that belong to these job runs. */
  jobRunId?: IdFilter | null | undefined;
  /** Any of these statuses. */
  status?: Array<RunStatus> | null | undefined;
  /** Runs of these workflows. */
  workflowId?: IdFilter | null | undefined;
};

export type ArtifactRowFragment = { id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { subject: string, organizationId: string, scopes: Array<string> } };

export type HomeQueryVariables = Exact<{
  filter?: ArtifactFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type HomeQuery = { latestArtifacts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> } };

export type HomeSideQueryVariables = Exact<{
  unkeyed?: ArtifactFilter | null | undefined;
}>;


export type HomeSideQuery = { unkeyed: { nodes: Array<{ id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> }, jobRuns: { nodes: Array<{ id: string, name: string | null, status: RunStatus, createdAt: string }> }, workflowRuns: { nodes: Array<{ id: string, name: string | null, status: RunStatus, createdAt: string, workflow: { id: string, name: string } }> }, workflows: { nodes: Array<{ id: string, name: string }> } };

export type WorkflowPageQueryVariables = Exact<{
  id: string | number;
  runsAfter?: string | null | undefined;
  artifactsAfter?: string | null | undefined;
}>;


export type WorkflowPageQuery = { workflow: { id: string, name: string, description: string | null, tags: Array<string>, createdAt: string, runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string | null, status: RunStatus, createdAt: string, startedAt: string | null, endedAt: string | null }> }, artifacts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> } } | null };

export type RunPageQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type RunPageQuery = { workflowRun: { id: string, name: string | null, status: RunStatus, parameters: unknown, createdAt: string, startedAt: string | null, endedAt: string | null, workflow: { id: string, name: string }, jobRun: { id: string, name: string | null, status: RunStatus } | null, artifacts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> } } | null };

export type JobPageQueryVariables = Exact<{
  id: string | number;
  runsAfter?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type JobPageQuery = { jobRun: { id: string, name: string | null, status: RunStatus, metadata: unknown, createdAt: string, startedAt: string | null, endedAt: string | null, workflowRuns: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string | null, status: RunStatus, createdAt: string, workflow: { id: string, name: string } }> }, artifacts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> } } | null };

export type ArtifactPageQueryVariables = Exact<{
  id: string | number;
  versionsAfter?: string | null | undefined;
}>;


export type ArtifactPageQuery = { artifact: { description: string | null, mimeType: string, sha256: string, data: unknown, metadata: unknown, createdBy: string, updatedAt: string, id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflow: { id: string, name: string } | null, jobRun: { id: string, name: string | null } | null, preview: { text: string | null, truncated: boolean, columns: Array<string> | null, rows: Array<Array<string>> | null } | null, versions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> }, workflowRun: { id: string, name: string | null, status: RunStatus } | null } | null };

export type InlineUrlQueryVariables = Exact<{
  id: string | number;
}>;


export type InlineUrlQuery = { artifact: { id: string, signedUrl: { url: string, expiresAt: string } | null } | null };

export type DownloadUrlQueryVariables = Exact<{
  id: string | number;
}>;


export type DownloadUrlQuery = { artifact: { id: string, displayName: string, signedUrl: { url: string, expiresAt: string } | null } | null };

export type BundleQueryVariables = Exact<{
  filter?: ArtifactFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type BundleQuery = { artifacts: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, key: string | null, version: number | null, type: ArtifactType, displayName: string, data: unknown, signedUrl: { url: string } | null }> } };

export type KeyPageQueryVariables = Exact<{
  key: string;
  after?: string | null | undefined;
}>;


export type KeyPageQuery = { artifacts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ description: string | null, sha256: string, id: string, key: string | null, version: number | null, isLatest: boolean, type: ArtifactType, category: string | null, displayName: string, sizeBytes: number, status: ArtifactStatus, createdAt: string, workflowRun: { id: string, name: string | null, status: RunStatus } | null }> } };

export type ContentQueryVariables = Exact<{
  id: string | number;
}>;


export type ContentQuery = { artifact: { id: string, type: ArtifactType, version: number | null, data: unknown, preview: { text: string | null, truncated: boolean, columns: Array<string> | null, rows: Array<Array<string>> | null } | null } | null };

export type PublishedSubscriptionVariables = Exact<{
  workflowRunId?: string | number | null | undefined;
  jobRunId?: string | number | null | undefined;
}>;


export type PublishedSubscription = { artifactPublished: { id: string, displayName: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ArtifactRowFragmentDoc = new TypedDocumentString(`
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}
    `, {"fragmentName":"ArtifactRow"}) as unknown as TypedDocumentString<ArtifactRowFragment, unknown>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    subject
    organizationId
    scopes
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const HomeDocument = new TypedDocumentString(`
    query Home($filter: ArtifactFilter, $first: Int, $after: String) {
  latestArtifacts(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ArtifactRow
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<HomeQuery, HomeQueryVariables>;
export const HomeSideDocument = new TypedDocumentString(`
    query HomeSide($unkeyed: ArtifactFilter) {
  unkeyed: artifacts(filter: $unkeyed, first: 10) {
    nodes {
      ...ArtifactRow
    }
  }
  jobRuns(first: 10) {
    nodes {
      id
      name
      status
      createdAt
    }
  }
  workflowRuns(first: 10) {
    nodes {
      id
      name
      status
      createdAt
      workflow {
        id
        name
      }
    }
  }
  workflows(first: 100) {
    nodes {
      id
      name
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<HomeSideQuery, HomeSideQueryVariables>;
export const WorkflowPageDocument = new TypedDocumentString(`
    query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {
  workflow(id: $id) {
    id
    name
    description
    tags
    createdAt
    runs(first: 25, after: $runsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        status
        createdAt
        startedAt
        endedAt
      }
    }
    artifacts(first: 25, after: $artifactsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<WorkflowPageQuery, WorkflowPageQueryVariables>;
export const RunPageDocument = new TypedDocumentString(`
    query RunPage($id: ID!, $after: String) {
  workflowRun(id: $id) {
    id
    name
    status
    parameters
    createdAt
    startedAt
    endedAt
    workflow {
      id
      name
    }
    jobRun {
      id
      name
      status
    }
    artifacts(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<RunPageQuery, RunPageQueryVariables>;
export const JobPageDocument = new TypedDocumentString(`
    query JobPage($id: ID!, $runsAfter: String, $after: String) {
  jobRun(id: $id) {
    id
    name
    status
    metadata
    createdAt
    startedAt
    endedAt
    workflowRuns(first: 50, after: $runsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        status
        createdAt
        workflow {
          id
          name
        }
      }
    }
    artifacts(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<JobPageQuery, JobPageQueryVariables>;
export const ArtifactPageDocument = new TypedDocumentString(`
    query ArtifactPage($id: ID!, $versionsAfter: String) {
  artifact(id: $id) {
    ...ArtifactRow
    description
    mimeType
    sha256
    data
    metadata
    createdBy
    updatedAt
    workflow {
      id
      name
    }
    jobRun {
      id
      name
    }
    preview {
      text
      truncated
      columns
      rows
    }
    versions(first: 20, after: $versionsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ArtifactRow
      }
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<ArtifactPageQuery, ArtifactPageQueryVariables>;
export const InlineUrlDocument = new TypedDocumentString(`
    query InlineUrl($id: ID!) {
  artifact(id: $id) {
    id
    signedUrl(disposition: INLINE) {
      url
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<InlineUrlQuery, InlineUrlQueryVariables>;
export const DownloadUrlDocument = new TypedDocumentString(`
    query DownloadUrl($id: ID!) {
  artifact(id: $id) {
    id
    displayName
    signedUrl {
      url
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<DownloadUrlQuery, DownloadUrlQueryVariables>;
export const BundleDocument = new TypedDocumentString(`
    query Bundle($filter: ArtifactFilter, $after: String) {
  artifacts(filter: $filter, first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      key
      version
      type
      displayName
      data
      signedUrl {
        url
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BundleQuery, BundleQueryVariables>;
export const KeyPageDocument = new TypedDocumentString(`
    query KeyPage($key: String!, $after: String) {
  artifacts(
    filter: {key: {eq: $key}}
    sort: VERSION_DESC
    first: 50
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ArtifactRow
      description
      sha256
    }
  }
}
    fragment ArtifactRow on Artifact {
  id
  key
  version
  isLatest
  type
  category
  displayName
  sizeBytes
  status
  createdAt
  workflowRun {
    id
    name
    status
  }
}`) as unknown as TypedDocumentString<KeyPageQuery, KeyPageQueryVariables>;
export const ContentDocument = new TypedDocumentString(`
    query Content($id: ID!) {
  artifact(id: $id) {
    id
    type
    version
    data
    preview(maxBytes: 262144) {
      text
      truncated
      columns
      rows
    }
  }
}
    `) as unknown as TypedDocumentString<ContentQuery, ContentQueryVariables>;
export const PublishedDocument = new TypedDocumentString(`
    subscription Published($workflowRunId: ID, $jobRunId: ID) {
  artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {
    id
    displayName
  }
}
    `) as unknown as TypedDocumentString<PublishedSubscription, PublishedSubscriptionVariables>;
/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ArtifactRow on Artifact {\n    id\n    key\n    version\n    isLatest\n    type\n    category\n    displayName\n    sizeBytes\n    status\n    createdAt\n    workflowRun {\n      id\n      name\n      status\n    }\n  }\n": typeof types.ArtifactRowFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      subject\n      organizationId\n      scopes\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query Home($filter: ArtifactFilter, $first: Int, $after: String) {\n    latestArtifacts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n      }\n    }\n  }\n": typeof types.HomeDocument,
    "\n  query HomeSide($unkeyed: ArtifactFilter) {\n    unkeyed: artifacts(filter: $unkeyed, first: 10) {\n      nodes {\n        ...ArtifactRow\n      }\n    }\n    jobRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n      }\n    }\n    workflowRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        workflow {\n          id\n          name\n        }\n      }\n    }\n    workflows(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": typeof types.HomeSideDocument,
    "\n  query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      tags\n      createdAt\n      runs(first: 25, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          startedAt\n          endedAt\n        }\n      }\n      artifacts(first: 25, after: $artifactsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": typeof types.WorkflowPageDocument,
    "\n  query RunPage($id: ID!, $after: String) {\n    workflowRun(id: $id) {\n      id\n      name\n      status\n      parameters\n      createdAt\n      startedAt\n      endedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n        status\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": typeof types.RunPageDocument,
    "\n  query JobPage($id: ID!, $runsAfter: String, $after: String) {\n    jobRun(id: $id) {\n      id\n      name\n      status\n      metadata\n      createdAt\n      startedAt\n      endedAt\n      workflowRuns(first: 50, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          workflow {\n            id\n            name\n          }\n        }\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": typeof types.JobPageDocument,
    "\n  query ArtifactPage($id: ID!, $versionsAfter: String) {\n    artifact(id: $id) {\n      ...ArtifactRow\n      description\n      mimeType\n      sha256\n      data\n      metadata\n      createdBy\n      updatedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n      }\n      preview {\n        text\n        truncated\n        columns\n        rows\n      }\n      versions(first: 20, after: $versionsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": typeof types.ArtifactPageDocument,
    "\n  query InlineUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      signedUrl(disposition: INLINE) {\n        url\n        expiresAt\n      }\n    }\n  }\n": typeof types.InlineUrlDocument,
    "\n  query DownloadUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      displayName\n      signedUrl {\n        url\n        expiresAt\n      }\n    }\n  }\n": typeof types.DownloadUrlDocument,
    "\n  query Bundle($filter: ArtifactFilter, $after: String) {\n    artifacts(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        key\n        version\n        type\n        displayName\n        data\n        signedUrl {\n          url\n        }\n      }\n    }\n  }\n": typeof types.BundleDocument,
    "\n  query KeyPage($key: String!, $after: String) {\n    artifacts(filter: { key: { eq: $key } }, sort: VERSION_DESC, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n        description\n        sha256\n      }\n    }\n  }\n": typeof types.KeyPageDocument,
    "\n  query Content($id: ID!) {\n    artifact(id: $id) {\n      id\n      type\n      version\n      data\n      preview(maxBytes: 262144) {\n        text\n        truncated\n        columns\n        rows\n      }\n    }\n  }\n": typeof types.ContentDocument,
    "\n  subscription Published($workflowRunId: ID, $jobRunId: ID) {\n    artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {\n      id\n      displayName\n    }\n  }\n": typeof types.PublishedDocument,
};
const documents: Documents = {
    "\n  fragment ArtifactRow on Artifact {\n    id\n    key\n    version\n    isLatest\n    type\n    category\n    displayName\n    sizeBytes\n    status\n    createdAt\n    workflowRun {\n      id\n      name\n      status\n    }\n  }\n": types.ArtifactRowFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      subject\n      organizationId\n      scopes\n    }\n  }\n": types.ViewerDocument,
    "\n  query Home($filter: ArtifactFilter, $first: Int, $after: String) {\n    latestArtifacts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n      }\n    }\n  }\n": types.HomeDocument,
    "\n  query HomeSide($unkeyed: ArtifactFilter) {\n    unkeyed: artifacts(filter: $unkeyed, first: 10) {\n      nodes {\n        ...ArtifactRow\n      }\n    }\n    jobRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n      }\n    }\n    workflowRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        workflow {\n          id\n          name\n        }\n      }\n    }\n    workflows(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": types.HomeSideDocument,
    "\n  query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      tags\n      createdAt\n      runs(first: 25, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          startedAt\n          endedAt\n        }\n      }\n      artifacts(first: 25, after: $artifactsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": types.WorkflowPageDocument,
    "\n  query RunPage($id: ID!, $after: String) {\n    workflowRun(id: $id) {\n      id\n      name\n      status\n      parameters\n      createdAt\n      startedAt\n      endedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n        status\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": types.RunPageDocument,
    "\n  query JobPage($id: ID!, $runsAfter: String, $after: String) {\n    jobRun(id: $id) {\n      id\n      name\n      status\n      metadata\n      createdAt\n      startedAt\n      endedAt\n      workflowRuns(first: 50, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          workflow {\n            id\n            name\n          }\n        }\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": types.JobPageDocument,
    "\n  query ArtifactPage($id: ID!, $versionsAfter: String) {\n    artifact(id: $id) {\n      ...ArtifactRow\n      description\n      mimeType\n      sha256\n      data\n      metadata\n      createdBy\n      updatedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n      }\n      preview {\n        text\n        truncated\n        columns\n        rows\n      }\n      versions(first: 20, after: $versionsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n": types.ArtifactPageDocument,
    "\n  query InlineUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      signedUrl(disposition: INLINE) {\n        url\n        expiresAt\n      }\n    }\n  }\n": types.InlineUrlDocument,
    "\n  query DownloadUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      displayName\n      signedUrl {\n        url\n        expiresAt\n      }\n    }\n  }\n": types.DownloadUrlDocument,
    "\n  query Bundle($filter: ArtifactFilter, $after: String) {\n    artifacts(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        key\n        version\n        type\n        displayName\n        data\n        signedUrl {\n          url\n        }\n      }\n    }\n  }\n": types.BundleDocument,
    "\n  query KeyPage($key: String!, $after: String) {\n    artifacts(filter: { key: { eq: $key } }, sort: VERSION_DESC, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n        description\n        sha256\n      }\n    }\n  }\n": types.KeyPageDocument,
    "\n  query Content($id: ID!) {\n    artifact(id: $id) {\n      id\n      type\n      version\n      data\n      preview(maxBytes: 262144) {\n        text\n        truncated\n        columns\n        rows\n      }\n    }\n  }\n": types.ContentDocument,
    "\n  subscription Published($workflowRunId: ID, $jobRunId: ID) {\n    artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {\n      id\n      displayName\n    }\n  }\n": types.PublishedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ArtifactRow on Artifact {\n    id\n    key\n    version\n    isLatest\n    type\n    category\n    displayName\n    sizeBytes\n    status\n    createdAt\n    workflowRun {\n      id\n      name\n      status\n    }\n  }\n"): typeof import('./graphql').ArtifactRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      subject\n      organizationId\n      scopes\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home($filter: ArtifactFilter, $first: Int, $after: String) {\n    latestArtifacts(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n      }\n    }\n  }\n"): typeof import('./graphql').HomeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HomeSide($unkeyed: ArtifactFilter) {\n    unkeyed: artifacts(filter: $unkeyed, first: 10) {\n      nodes {\n        ...ArtifactRow\n      }\n    }\n    jobRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n      }\n    }\n    workflowRuns(first: 10) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        workflow {\n          id\n          name\n        }\n      }\n    }\n    workflows(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').HomeSideDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowPage($id: ID!, $runsAfter: String, $artifactsAfter: String) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      tags\n      createdAt\n      runs(first: 25, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          startedAt\n          endedAt\n        }\n      }\n      artifacts(first: 25, after: $artifactsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WorkflowPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunPage($id: ID!, $after: String) {\n    workflowRun(id: $id) {\n      id\n      name\n      status\n      parameters\n      createdAt\n      startedAt\n      endedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n        status\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RunPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobPage($id: ID!, $runsAfter: String, $after: String) {\n    jobRun(id: $id) {\n      id\n      name\n      status\n      metadata\n      createdAt\n      startedAt\n      endedAt\n      workflowRuns(first: 50, after: $runsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          id\n          name\n          status\n          createdAt\n          workflow {\n            id\n            name\n          }\n        }\n      }\n      artifacts(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').JobPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArtifactPage($id: ID!, $versionsAfter: String) {\n    artifact(id: $id) {\n      ...ArtifactRow\n      description\n      mimeType\n      sha256\n      data\n      metadata\n      createdBy\n      updatedAt\n      workflow {\n        id\n        name\n      }\n      jobRun {\n        id\n        name\n      }\n      preview {\n        text\n        truncated\n        columns\n        rows\n      }\n      versions(first: 20, after: $versionsAfter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...ArtifactRow\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ArtifactPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InlineUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      signedUrl(disposition: INLINE) {\n        url\n        expiresAt\n      }\n    }\n  }\n"): typeof import('./graphql').InlineUrlDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DownloadUrl($id: ID!) {\n    artifact(id: $id) {\n      id\n      displayName\n      signedUrl {\n        url\n        expiresAt\n      }\n    }\n  }\n"): typeof import('./graphql').DownloadUrlDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Bundle($filter: ArtifactFilter, $after: String) {\n    artifacts(filter: $filter, first: 100, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        key\n        version\n        type\n        displayName\n        data\n        signedUrl {\n          url\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').BundleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query KeyPage($key: String!, $after: String) {\n    artifacts(filter: { key: { eq: $key } }, sort: VERSION_DESC, first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...ArtifactRow\n        description\n        sha256\n      }\n    }\n  }\n"): typeof import('./graphql').KeyPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Content($id: ID!) {\n    artifact(id: $id) {\n      id\n      type\n      version\n      data\n      preview(maxBytes: 262144) {\n        text\n        truncated\n        columns\n        rows\n      }\n    }\n  }\n"): typeof import('./graphql').ContentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Published($workflowRunId: ID, $jobRunId: ID) {\n    artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {\n      id\n      displayName\n    }\n  }\n"): typeof import('./graphql').PublishedDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

// Every operation the app sends; graphql-codegen types them from ../schema.graphql.
import { graphql } from './gql';

export const ArtifactRowFields = graphql(`
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
`);

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      subject
      organizationId
      scopes
    }
  }
`);

export const HomeQuery = graphql(`
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
`);

export const HomeSideQuery = graphql(`
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
`);

export const WorkflowQuery = graphql(`
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
`);

export const RunQuery = graphql(`
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
`);

export const JobQuery = graphql(`
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
`);

export const ArtifactQuery = graphql(`
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
`);

export const InlineUrlQuery = graphql(`
  query InlineUrl($id: ID!) {
    artifact(id: $id) {
      id
      signedUrl(disposition: INLINE) {
        url
        expiresAt
      }
    }
  }
`);

export const DownloadUrlQuery = graphql(`
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
`);

export const BundleQuery = graphql(`
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
`);

export const KeyQuery = graphql(`
  query KeyPage($key: String!, $after: String) {
    artifacts(filter: { key: { eq: $key } }, sort: VERSION_DESC, first: 50, after: $after) {
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
`);

export const ContentQuery = graphql(`
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
`);

export const PublishedSubscription = graphql(`
  subscription Published($workflowRunId: ID, $jobRunId: ID) {
    artifactPublished(workflowRunId: $workflowRunId, jobRunId: $jobRunId) {
      id
      displayName
    }
  }
`);

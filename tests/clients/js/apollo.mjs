// @apollo/client 4 against Cairn: PersistedQueryLink (sha256 from node:crypto, hashed
// queries over GET) in front of apollo-upload-client's UploadHttpLink.
// argv: URL, a unique operation name (so the first request is a miss), a file to upload.
// The token is in CAIRN_TOKEN. Prints one JSON object: every HTTP exchange and the results.
import { ApolloClient, ApolloLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import UploadHttpLink from 'apollo-upload-client/UploadHttpLink.mjs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

const [uri, operation, path] = process.argv.slice(2);
const guard = setTimeout(() => { console.log(JSON.stringify({ timeout: true })); process.exit(3); }, 60000);
const exchanges = [];

async function recordingFetch(input, init) {
  const url = new URL(typeof input === 'string' ? input : input.url);
  const response = await fetch(input, init);
  const body = await response.clone().text();
  let codes = [];
  try { codes = (JSON.parse(body).errors ?? []).map((e) => e.extensions?.code); } catch {}
  const multipart = init.body instanceof FormData;
  const sent = multipart ? JSON.parse(init.body.get('operations'))
    : typeof init.body === 'string' ? JSON.parse(init.body) : null;
  exchanges.push({
    method: init.method ?? 'GET',
    multipart,
    hasQuery: url.searchParams.has('query') || Boolean(sent?.query),
    hashed: url.searchParams.has('extensions') || Boolean(sent?.extensions?.persistedQuery),
    status: response.status,
    contentType: response.headers.get('content-type'),
    codes,
  });
  return response;
}

const link = ApolloLink.from([
  new PersistedQueryLink({
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
    useGETForHashedQueries: true,
  }),
  new UploadHttpLink({
    uri,
    fetch: recordingFetch,
    headers: { Authorization: `Bearer ${process.env.CAIRN_TOKEN}`, 'Apollo-Require-Preflight': 'true' },
  }),
]);
const client = new ApolloClient({ link, cache: new InMemoryCache() });
const query = gql(`query ${operation} { viewer { organizationId } }`);
const out = { exchanges };
try {
  out.first = (await client.query({ query, fetchPolicy: 'network-only' })).data;
  out.second = (await client.query({ query, fetchPolicy: 'network-only' })).data;
  const bytes = await readFile(path);
  const file = new File([bytes], basename(path), { type: 'text/plain' });
  const upload = await client.mutate({
    mutation: gql`mutation Upload($input: ArtifactInput!, $file: Upload!) {
      uploadArtifact(input: $input, file: $file) { id displayName sizeBytes sha256 status }
    }`,
    variables: { input: { type: 'TEXT', displayName: basename(path) }, file },
  });
  out.upload = upload.data;
} catch (error) {
  out.error = String(error?.message ?? error);
  process.exitCode = 2;
}
clearTimeout(guard);
console.log(JSON.stringify(out));

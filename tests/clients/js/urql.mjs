// @urql/core against Cairn: a query and a mutation over fetch.
// argv: URL, a job run name; token in CAIRN_TOKEN. Prints one JSON object.
import { Client, fetchExchange, gql } from '@urql/core';

const [url, name] = process.argv.slice(2);
const guard = setTimeout(() => { console.log(JSON.stringify({ timeout: true })); process.exit(3); }, 60000);
const client = new Client({
  url,
  exchanges: [fetchExchange],
  requestPolicy: 'network-only',
  fetchOptions: () => ({ headers: { Authorization: `Bearer ${process.env.CAIRN_TOKEN}` } }),
});
const out = {};
const created = await client
  .mutation(gql`mutation Create($input: CreateJobRunInput!) { createJobRun(input: $input) { id name status } }`,
    { input: { name } })
  .toPromise();
out.mutation = { data: created.data ?? null, error: created.error?.message ?? null };
const read = await client
  .query(gql`query Read($id: ID!) { jobRun(id: $id) { id name status } viewer { organizationId } }`,
    { id: created.data?.createJobRun?.id ?? 'none' })
  .toPromise();
out.query = { data: read.data ?? null, error: read.error?.message ?? null };
const bad = await client.query(gql`query Bad { viewer { nope } }`, {}).toPromise();
out.bad = { codes: bad.error?.graphQLErrors?.map((e) => e.extensions?.code) ?? [] };
clearTimeout(guard);
console.log(JSON.stringify(out));
if (out.mutation.error || out.query.error) process.exitCode = 2;

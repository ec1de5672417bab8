// PostGraphile v4 in library mode on Node's http, for `python -m bench.peers postgraphile`.
// It verifies the same HS256 bearer token Cairn gets and runs every request as Cairn does:
// in a transaction, SET LOCAL ROLE cairn_app and set_config('cairn.org_id', org, true),
// connected as Cairn's service login, so both pay for auth and row-level security.
// Environment: DATABASE_URL, JWT_SECRET, ORG_CLAIM (default org_id), PORT.
'use strict';

const http = require('http');
const jwt = require('jsonwebtoken');
const { postgraphile } = require('postgraphile');

const secret = process.env.JWT_SECRET;
const orgClaim = process.env.ORG_CLAIM || 'org_id';
const port = Number(process.env.PORT);

const graphql = postgraphile(process.env.DATABASE_URL, 'public', {
  graphiql: false,
  watchPg: false,
  disableQueryLog: true,
  enableCors: false,
  retryOnInitFail: false,
  ignoreRBAC: false,
  legacyRelations: 'omit',
  setofFunctionsContainNulls: false,
  pgSettings: (req) => ({ role: 'cairn_app', 'cairn.org_id': req.cairnOrg }),
});

function refuse(res, status) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message: 'unauthenticated' }] }));
}

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200);
    res.end('ok');
    return;
  }
  const header = req.headers.authorization || '';
  if (!header.startsWith('Bearer ')) {
    refuse(res, 401);
    return;
  }
  let claims;
  try {
    claims = jwt.verify(header.slice(7), secret, { algorithms: ['HS256'] });
  } catch (err) {
    refuse(res, 401);
    return;
  }
  if (typeof claims[orgClaim] !== 'string') {
    refuse(res, 401);
    return;
  }
  req.cairnOrg = claims[orgClaim];
  graphql(req, res);
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

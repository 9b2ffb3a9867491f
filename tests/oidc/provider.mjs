// A real OpenID provider for the facade's tests: oidc-provider (the certified Node implementation), configured
// for SMART Backend Services (client_credentials + private_key_jwt, JWT access tokens for one resource).
//
// One process serves many isolated tenants, so tests running in parallel never share keys, clients or outages.
// Each tenant is its own Provider instance mounted at /t/{name} (issuer http://127.0.0.1:PORT/t/{name}).
// The admin API (loopback only) creates tenants and changes them while a test runs:
//
//   POST   /admin/tenants                      {name?, audience?, tokenTtl?}     → {name, issuer, tokenEndpoint, kids}
//   GET    /admin/tenants/{t}                                                   → state
//   DELETE /admin/tenants/{t}
//   POST   /admin/tenants/{t}/clients          {client_id, jwks | client_secret, claims?, scope?}
//   POST   /admin/tenants/{t}/keys                                              → {kid, kids}: new current signing key
//   DELETE /admin/tenants/{t}/keys/{kid}                                        → {kids}: the key leaves the JWKS
//   PUT    /admin/tenants/{t}/outage           {down: bool, mode?: "status"|"reset"}
//   PUT    /admin/tenants/{t}/discovery        {omit: ["token_endpoint", …]}    (a non-conformant discovery document)
//   GET    /admin/health
//
// Usage: node provider.mjs [--port N] [--port-file PATH]   (port 0: any free one, written to PATH once listening)
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const port = Number(option('port', '0'));
const portFile = option('port-file', undefined);

const tenants = new Map();
let origin = '';

// SMART Backend Services asks clients to sign with RS384 or ES384; the others are common enough to keep.
const clientAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'ES256', 'ES384'];

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

/** Storage for one tenant. Clients come from the tenant's registry, everything else (replay ids…) from a map. */
function adapterFor(tenant) {
  return (model) => {
    const key = (id) => `${model}:${id}`;
    const live = (entry) => (entry && entry.expires > Date.now() ? entry.payload : undefined);
    return {
      async upsert(id, payload, expiresIn) {
        tenant.store.set(key(id), { payload, expires: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      },
      async find(id) {
        return model === 'Client' ? tenant.clients.get(id)?.metadata : live(tenant.store.get(key(id)));
      },
      async findByUid() { return undefined; },
      async findByUserCode() { return undefined; },
      async consume(id) {
        const payload = live(tenant.store.get(key(id)));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) { tenant.store.delete(key(id)); },
      async revokeByGrantId() {},
    };
  };
}

/** A Provider for the tenant's current keys. Rebuilt on every key change: the JWKS is fixed per instance. */
function build(tenant) {
  const provider = new Provider(tenant.issuer, {
    adapter: adapterFor(tenant),
    jwks: { keys: tenant.keys },
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic', 'client_secret_post'],
    enabledJWA: { clientAuthSigningAlgValues: clientAlgorithms },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => tenant.audience ?? undefined,
        useGrantedResource: async () => true,
        // The resource (the facade's FHIR base URL) is the token's `aud`. SMART scopes are not OIDC scopes the
        // provider knows, so the resource server accepts whatever was asked for, limited by the client's `scope`.
        getResourceServerInfo: async (ctx, resource, client) => ({
          scope: allowedScopes(tenant, client.clientId, ctx.oidc.params.scope),
          audience: resource,
          accessTokenTTL: tenant.tokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256', kid: tenant.keys[0].kid } },
        }),
      },
    },
    extraTokenClaims: async (ctx, token) => tenant.clients.get(token.clientId)?.claims,
    ttl: { ClientCredentials: tenant.tokenTtl },
  });
  provider.proxy = false;
  // Post-middleware: a tenant may serve a discovery document with fields left out (a non-conformant provider).
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body && tenant.omit.length > 0) {
      ctx.body = Object.fromEntries(Object.entries(ctx.body).filter(([name]) => !tenant.omit.includes(name)));
    }
  });
  tenant.provider = provider;
  tenant.handle = provider.callback();
}

function allowedScopes(tenant, clientId, requested) {
  const asked = (requested ?? '').split(' ').filter(Boolean);
  const allowed = tenant.clients.get(clientId)?.scope;
  return (allowed ? asked.filter((s) => allowed.includes(s)) : asked).join(' ');
}

function describe(tenant) {
  return {
    name: tenant.name,
    issuer: tenant.issuer,
    tokenEndpoint: `${tenant.issuer}/token`,
    jwksUri: `${tenant.issuer}/jwks`,
    kids: tenant.keys.map((k) => k.kid),
    clients: [...tenant.clients.keys()],
    down: tenant.down,
  };
}

async function createTenant(body) {
  const name = body.name ?? randomBytes(6).toString('hex');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw httpError(400, 'name must be 1–64 letters, digits, _ or -');
  if (tenants.has(name)) throw httpError(409, `tenant ${name} exists`);
  const tenant = {
    name,
    issuer: `${origin}/t/${name}`,
    audience: body.audience,
    tokenTtl: Number(body.tokenTtl ?? 300),
    keys: [newSigningKey()],
    clients: new Map(),
    store: new Map(),
    omit: [],
    down: false,
    mode: 'status',
  };
  build(tenant);
  tenants.set(name, tenant);
  return describe(tenant);
}

async function registerClient(tenant, body) {
  const id = body.client_id;
  if (typeof id !== 'string' || id.length === 0) throw httpError(400, 'client_id is required');
  if (!body.jwks === !body.client_secret) throw httpError(400, 'exactly one of jwks and client_secret is required');
  const metadata = {
    client_id: id,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    ...(body.jwks
      ? { token_endpoint_auth_method: 'private_key_jwt', jwks: body.jwks }
      : { token_endpoint_auth_method: body.token_endpoint_auth_method ?? 'client_secret_basic', client_secret: body.client_secret }),
  };
  const previous = tenant.clients.get(id);
  tenant.clients.set(id, { metadata, claims: body.claims ?? undefined, scope: body.scope?.split(' ').filter(Boolean) });
  try {
    await tenant.provider.Client.find(id); // validates the metadata now, not at the first token request
  } catch (error) {
    if (previous) tenant.clients.set(id, previous); else tenant.clients.delete(id);
    throw httpError(400, `invalid client metadata: ${error.error_description ?? error.message}`);
  }
  return { client_id: id };
}

function httpError(status, message) {
  return Object.assign(new Error(message), { status });
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) throw httpError(413, 'body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw httpError(400, 'body must be JSON');
  }
}

async function admin(req, res, path) {
  const remote = req.socket.remoteAddress ?? '';
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)) throw httpError(403, 'admin API is loopback only');
  const parts = path.split('/').filter(Boolean).slice(1); // after "admin"
  const method = req.method;
  if (parts[0] === 'health' && method === 'GET') return { ok: true, tenants: tenants.size };
  if (parts[0] !== 'tenants') throw httpError(404, 'no such admin resource');
  if (parts.length === 1 && method === 'POST') return createTenant(await readJson(req));
  const tenant = tenants.get(parts[1]);
  if (!tenant) throw httpError(404, `no tenant ${parts[1]}`);
  const [, , what, arg] = parts;
  if (!what && method === 'GET') return describe(tenant);
  if (!what && method === 'DELETE') { tenants.delete(tenant.name); return { deleted: tenant.name }; }
  if (what === 'clients' && method === 'POST') return registerClient(tenant, await readJson(req));
  if (what === 'keys' && !arg && method === 'POST') {
    tenant.keys = [newSigningKey(), ...tenant.keys];
    build(tenant);
    return { kid: tenant.keys[0].kid, kids: tenant.keys.map((k) => k.kid) };
  }
  if (what === 'keys' && arg && method === 'DELETE') {
    if (!tenant.keys.some((k) => k.kid === arg)) throw httpError(404, `no key ${arg}`);
    if (tenant.keys.length === 1) throw httpError(409, 'the last key cannot be removed');
    tenant.keys = tenant.keys.filter((k) => k.kid !== arg);
    build(tenant);
    return { kids: tenant.keys.map((k) => k.kid) };
  }
  if (what === 'outage' && method === 'PUT') {
    const body = await readJson(req);
    tenant.down = Boolean(body.down);
    tenant.mode = body.mode === 'reset' ? 'reset' : 'status';
    return describe(tenant);
  }
  if (what === 'discovery' && method === 'PUT') {
    const body = await readJson(req);
    tenant.omit = Array.isArray(body.omit) ? body.omit.map(String) : [];
    return { omit: tenant.omit };
  }
  throw httpError(404, 'no such admin resource');
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (url.pathname === '/admin' || url.pathname.startsWith('/admin/')) {
      send(res, 200, await admin(req, res, url.pathname));
      return;
    }
    const match = /^\/t\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(url.pathname);
    const tenant = match && tenants.get(match[1]);
    if (!tenant) {
      send(res, 404, { error: 'not_found', error_description: 'no such tenant' });
      return;
    }
    if (tenant.down) {
      if (tenant.mode === 'reset') {
        req.socket.destroy();
      } else {
        send(res, 503, { error: 'temporarily_unavailable', error_description: 'simulated outage' }, { 'retry-after': '1' });
      }
      return;
    }
    // Mounted under /t/{name}: oidc-provider derives the mount path from originalUrl minus url.
    req.originalUrl = req.url;
    req.url = (match[2] ?? '/') + url.search;
    tenant.handle(req, res);
  } catch (error) {
    send(res, error.status ?? 500, { error: error.status ? 'invalid_request' : 'server_error', error_description: error.message });
  }
});

server.listen(port, '127.0.0.1', () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  if (portFile) {
    // Written whole, then renamed: a reader never sees a half-written port.
    writeFileSync(`${portFile}.tmp`, String(server.address().port));
    renameSync(`${portFile}.tmp`, portFile);
  }
  console.log(`test OpenID provider listening on ${origin}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

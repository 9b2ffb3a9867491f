// The launch page: register a client for the built-in issuer, choose simulated behaviours, try an export.
// Everything comes from GET console/api/launch (one source of truth on the server); the export uses the public
// protocol only, as an external client would. Text is set with el()/textContent, never as markup.
import { api, copy, describeError, el, show, url } from './console.js';

const $ = (id) => document.getElementById(id);

/** The server's launch document, loaded once. */
let config;
/** The key pair generated on this page: { algorithm, privateKey (CryptoKey), privateJwk, publicJwk }. */
let generated = null;
/** The last client registered with the generated key: { clientId, scopes, tokenUrl }. */
let pageClient = null;
/** The export being watched: { statusUrl, token, stopped }. */
let running = null;

// ---- server facts ---------------------------------------------------------------------------------------------

function fact(list, term, value) {
  list.append(el('dt', {}, term), el('dd', {}, value));
}

function renderServer() {
  const list = $('server-facts');
  list.replaceChildren();
  fact(list, 'FHIR base', el('code', {}, config.fhirBaseUrl));
  fact(list, 'Access tokens', config.authEnabled ? 'required on /fhir' : 'not required (Auth:Enabled is off)');
  fact(list, 'Token URL', config.issuer.tokenUrl ? el('code', {}, config.issuer.tokenUrl) : '(none)');
  if (config.issuer.audience) fact(list, 'Audience (aud)', el('code', {}, config.issuer.audience));
  fact(list, 'Built-in issuer', config.issuer.enabled ? `on (registration: ${config.issuer.registration})` : 'off');
  fact(list, 'Simulation', config.simulation.enabled ? 'on' : 'off');
}

// ---- registration ---------------------------------------------------------------------------------------------

function renderRegistration() {
  const issuer = config.issuer;
  const note = $('register-note');
  const form = $('register-form');
  if (!issuer.enabled) {
    note.textContent = 'The built-in token issuer is off (Auth:Issuer:Enabled), so clients cannot be registered here.';
    form.hidden = true;
    $('clients-section').hidden = true;
    return;
  }
  if (!issuer.mayRegister) {
    note.textContent = issuer.registration === 'Off'
      ? 'Run-time registration is off on this server (Auth:Issuer:Registration=Off): clients are configured by the operator.'
      : 'This server lets only requests from its own machine register clients (Auth:Issuer:Registration=Local).';
    form.hidden = true;
    $('clients-section').hidden = true;
    return;
  }
  note.textContent = `Scopes are limited to ${issuer.allowedScopes.join(' ')}; tokens live at most ${issuer.maxTokenLifetimeSeconds} s.`;
  $('scopes').value = issuer.allowedScopes.join(' ');
  $('scopes-hint').textContent = `Space-separated; each must be within: ${issuer.allowedScopes.join(' ')}`;
  const lifetime = $('lifetime');
  lifetime.max = String(issuer.maxTokenLifetimeSeconds);
  lifetime.value = String(issuer.defaultTokenLifetimeSeconds);
  $('lifetime-hint').textContent = `1 to ${issuer.maxTokenLifetimeSeconds} seconds (SMART Backend Services: at most five minutes).`;
  if (!globalThis.crypto?.subtle) {
    $('generate-status').textContent = 'This browser offers no WebCrypto here (it needs https or localhost): paste a JWKS or give a URL.';
    $('generate-button').disabled = true;
  }
}

function keySource() {
  return document.querySelector('input[name=key-source]:checked').value;
}

function showKeyPanel() {
  const source = keySource();
  $('generate-panel').hidden = source !== 'generate';
  $('paste-panel').hidden = source !== 'paste';
  $('url-panel').hidden = source !== 'url';
}

const algorithms = {
  ES384: { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
  RS384: {
    generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-384' },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
};

function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function generateKey() {
  const algorithm = $('key-algorithm').value;
  const status = $('generate-status');
  status.textContent = `Generating an ${algorithm} key pair…`;
  const pair = await crypto.subtle.generateKey(algorithms[algorithm].generate, true, ['sign', 'verify']);
  const kid = randomId();
  const { key_ops: _ops, ext: _ext, ...publicPart } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const publicJwk = { ...publicPart, kid, alg: algorithm, use: 'sig' };
  const privateJwk = { ...(await crypto.subtle.exportKey('jwk', pair.privateKey)), kid, alg: algorithm };
  generated = { algorithm, privateKey: pair.privateKey, privateJwk, publicJwk };
  status.textContent = `Generated ${algorithm} key ${kid}. The private key stays in this page until you download it.`;
}

async function register(event) {
  event.preventDefault();
  const errors = $('register-error');
  show(errors);
  const body = {
    name: $('client-name').value.trim() || undefined,
    scopes: $('scopes').value.trim(),
    tokenLifetimeSeconds: $('lifetime').value ? Number($('lifetime').value) : undefined,
  };
  const source = keySource();
  try {
    if (source === 'generate') {
      if (!generated) await generateKey();
      body.jwks = { keys: [generated.publicJwk] };
    } else if (source === 'paste') {
      // Sent as typed: the server parses it and says what is wrong, so the page and the API agree.
      body.jwks = $('jwks-text').value;
    } else {
      body.jwksUrl = $('jwks-url').value.trim();
    }
    const client = await api('auth/clients', { method: 'POST', body });
    pageClient = source === 'generate' ? { ...client, key: generated } : null;
    renderResult(client, source === 'generate' ? generated : null);
    await loadClients();
    updateTokenChoices();
  } catch (error) {
    show(errors, 'error', `Registration refused: ${error.message}`);
  }
}

function commandLine(client, keyFile) {
  const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;
  return [
    `fhir-async export ${quote(simulatedBase())}`,
    `  --client-id ${quote(client.clientId)}`,
    `  --key ${quote(keyFile)}`,
    `  --token-url ${quote(client.tokenUrl)}`,
    `  --scope ${quote(client.scopes)}`,
    `  --type Patient --out ./export`,
  ].join(' \\\n');
}

function bulkDataClientConfig(client, privateJwk) {
  // smart-on-fhir/bulk-data-client: a config file passed with --config (keys as in its config/defaults.js).
  const settings = {
    fhirUrl: simulatedBase(),
    tokenUrl: client.tokenUrl,
    clientId: client.clientId,
    privateKey: privateJwk ?? 'PASTE YOUR PRIVATE JWK HERE',
    scope: client.scopes,
    accessTokenLifetime: client.tokenLifetimeSeconds,
    global: true,
    _outputFormat: 'application/fhir+ndjson',
    destination: './downloads',
  };
  return `module.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

function copyBlock(title, id, text) {
  const pre = el('pre', { id }, text);
  const status = el('span', { class: 'hint', role: 'status' });
  const button = el('button', {
    type: 'button', class: 'secondary',
    onclick: async () => { status.textContent = (await copy(text, pre)) ? ' Copied.' : ' Selected: press Ctrl+C to copy.'; },
  }, `Copy ${title}`);
  return [el('h4', {}, title), pre, el('div', { class: 'actions' }, button, status)];
}

function renderResult(client, key) {
  const region = $('register-result');
  region.replaceChildren();
  const facts = el('dl', { class: 'facts', id: 'registered-facts' });
  fact(facts, 'Client id', el('code', { id: 'registered-client-id' }, client.clientId));
  if (client.name) fact(facts, 'Name', client.name);
  fact(facts, 'Token URL', el('code', {}, client.tokenUrl));
  fact(facts, 'FHIR base', el('code', {}, client.fhirBaseUrl));
  fact(facts, 'Audience', el('code', {}, client.audience));
  fact(facts, 'Scopes', client.scopes);
  fact(facts, 'Token lifetime', `${client.tokenLifetimeSeconds} s`);
  region.append(el('h3', {}, 'Registered'), facts);
  const keyFile = `${client.clientId}.private.jwk.json`;
  if (key) {
    const blob = new Blob([JSON.stringify(key.privateJwk, null, 2)], { type: 'application/json' });
    region.append(el('p', {}, el('a', { href: URL.createObjectURL(blob), download: keyFile, id: 'private-key-download', class: 'button' },
      'Download the private key (JWK)')),
    el('p', { class: 'hint' }, 'Keep it secret: whoever has it can get tokens as this client. This page does not store it.'));
  }
  region.append(...copyBlock('fhir-async command', 'cli-command', commandLine(client, key ? keyFile : 'private-key.jwk.json')));
  region.append(...copyBlock('bulk-data-client config', 'bulk-data-config', bulkDataClientConfig(client, key?.privateJwk)));
}

async function loadClients() {
  if ($('clients-section').hidden) return;
  const body = $('clients-table').tBodies[0];
  const message = $('clients-message');
  try {
    const clients = await api('auth/clients');
    body.replaceChildren(...clients.map((client) => el('tr', {},
      el('td', {}, client.name ?? ''),
      el('td', {}, el('code', {}, client.clientId)),
      el('td', {}, client.scopes),
      el('td', {}, `${client.tokenLifetimeSeconds} s`),
      el('td', {}, client.jwksUrl ? el('code', {}, client.jwksUrl) : `${client.keyIds?.length ?? 0} key(s)`),
      el('td', {}, new Date(client.createdAt).toLocaleString()),
      el('td', {}, el('button', {
        type: 'button', class: 'danger', 'aria-label': `Delete ${client.name || client.clientId}`,
        onclick: () => removeClient(client.clientId),
      }, 'Delete')))));
    show(message, 'ok', clients.length ? '' : 'No clients registered at run time yet.');
  } catch (error) {
    show(message, 'error', `Could not list clients: ${error.message}`);
  }
}

async function removeClient(clientId) {
  try {
    await api(`auth/clients/${encodeURIComponent(clientId)}`, { method: 'DELETE' });
    if (pageClient?.clientId === clientId) pageClient = null;
    updateTokenChoices();
    await loadClients();
    show($('clients-message'), 'ok', `Deleted ${clientId}.`);
  } catch (error) {
    show($('clients-message'), 'error', `Could not delete ${clientId}: ${error.message}`);
  }
}

// ---- simulated behaviours -------------------------------------------------------------------------------------

function renderBehaviours() {
  const section = $('behaviours-section');
  if (!config.simulation.enabled) {
    section.hidden = true;
    return;
  }
  const fieldset = $('behaviours');
  for (const behaviour of config.simulation.behaviours) {
    const id = `behaviour-${behaviour.name}`;
    const row = el('div', { class: 'behaviour' });
    const check = el('input', { type: 'checkbox', id, 'data-behaviour': behaviour.name, 'aria-describedby': `${id}-explanation` });
    row.append(el('div', { class: 'choice' }, check, el('label', { for: id }, el('code', {}, behaviour.name))));
    if (behaviour.choices) {
      row.append(el('label', { for: `${id}-value`, class: 'visually-hidden' }, `${behaviour.name} value`),
        el('select', { id: `${id}-value`, class: 'behaviour-value' }, behaviour.choices.map((c) => el('option', { value: c }, c))));
    } else if (behaviour.parameter) {
      row.append(el('label', { for: `${id}-value`, class: 'visually-hidden' }, `${behaviour.name} seconds`),
        el('input', { type: 'number', id: `${id}-value`, class: 'behaviour-value', min: behaviour.minimum, max: behaviour.maximum,
          value: behaviour.name === 'duration' ? 10 : 60 }));
    }
    row.append(el('p', { class: 'hint', id: `${id}-explanation` }, behaviour.explanation));
    fieldset.append(row);
  }
  fieldset.addEventListener('input', updateBase);
  fieldset.addEventListener('change', updateBase);
  updateBase();
}

/** The behaviours ticked, as the /sim path writes them: "duration=10,poll-429". */
function chosenBehaviours() {
  if (!config.simulation.enabled) return '';
  return config.simulation.behaviours.filter((b) => $(`behaviour-${b.name}`).checked).map((b) => {
    const value = $(`behaviour-${b.name}-value`)?.value;
    return b.parameter ? `${b.name}=${value}` : b.name;
  }).join(',');
}

/** The FHIR base a client should use: the simulated one when behaviours are ticked. */
function simulatedBase() {
  const behaviours = chosenBehaviours();
  return behaviours ? config.simulation.baseUrlTemplate.replace('{behaviours}', behaviours) : config.fhirBaseUrl;
}

function updateBase() {
  $('simulated-base').textContent = simulatedBase();
}

// ---- try it: an export over the public protocol ---------------------------------------------------------------

function updateTokenChoices() {
  const fromClient = $('token-client');
  fromClient.disabled = !pageClient;
  const current = document.querySelector('input[name=token-source]:checked');
  const pasted = $('token-text').value.trim() !== '';
  // A client registered here is the natural choice, unless a token was pasted on purpose.
  const choice = pageClient && !(current?.id === 'token-paste' && pasted) ? 'token-client'
    : current && !current.disabled ? current.id
      : config.authEnabled ? 'token-paste' : 'token-none';
  $(choice).checked = true;
  $('token-paste-panel').hidden = !$('token-paste').checked;
}

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const encodeJson = (value) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** A SMART Backend Services client assertion signed in the browser with the generated key (RS384 or ES384). */
async function clientAssertion(client) {
  const key = client.key;
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: key.algorithm, kid: key.publicJwk.kid, typ: 'JWT' };
  const claims = { iss: client.clientId, sub: client.clientId, aud: client.tokenUrl, exp: now + 240, jti: randomId() };
  const input = `${encodeJson(header)}.${encodeJson(claims)}`;
  // WebCrypto's ECDSA signature is r||s, the form JWS wants (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign(algorithms[key.algorithm].sign, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(signature)}`;
}

async function accessToken() {
  const source = document.querySelector('input[name=token-source]:checked')?.value;
  if (source === 'paste') return $('token-text').value.trim() || null;
  if (source !== 'client' || !pageClient) return null;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: pageClient.scopes,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(pageClient),
  });
  const response = await fetch(pageClient.tokenUrl, { method: 'POST', body: form });
  logExchange('POST', pageClient.tokenUrl, response);
  if (!response.ok) throw new Error(`The token request was refused: ${await describeError(response)}`);
  return (await response.json()).access_token;
}

function kickOffUrl() {
  const level = $('export-level').value;
  const path = level === 'system' ? '$export'
    : level === 'patient' ? 'Patient/$export'
      : `Group/${encodeURIComponent($('group-id').value.trim())}/$export`;
  const fhirBase = $('use-simulation').checked ? simulatedBase() : config.fhirBaseUrl;
  const target = new URL(`${fhirBase}/${path}`);
  const type = $('export-type').value.trim();
  const since = $('export-since').value.trim();
  const format = $('export-format').value;
  if (type) target.searchParams.set('_type', type);
  if (since) target.searchParams.set('_since', since);
  if (format) target.searchParams.set('_outputFormat', format);
  return target.toString();
}

function logExchange(method, target, response, note) {
  const headers = ['Retry-After', 'X-Progress', 'Content-Location', 'Expires']
    .map((name) => [name, response.headers.get(name)]).filter(([, value]) => value !== null);
  const item = el('li', { class: `exchange status-${Math.floor(response.status / 100)}xx` },
    el('span', { class: 'exchange-time' }, new Date().toLocaleTimeString()), ' ',
    el('strong', { class: 'exchange-status' }, `${response.status} ${response.statusText}`), ' ',
    el('code', {}, `${method} ${new URL(target).pathname}`),
    headers.length ? el('ul', {}, headers.map(([name, value]) => el('li', {}, el('code', {}, `${name}: ${value}`)))) : null,
    note ? el('p', { class: 'hint' }, note) : null);
  $('export-log').append(item);
}

/** Seconds to wait as Retry-After says (integer seconds or an HTTP date), bounded so the page stays lively. */
function retryAfterSeconds(response, fallback) {
  const value = response.headers.get('Retry-After');
  if (value === null) return fallback;
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0.5), 60) : fallback;
}

/** Reads a body the page does not need, so the browser does not report the request as aborted. */
const drain = (response) => response.arrayBuffer().catch(() => null);

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

function authHeaders(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function startExport(event) {
  event.preventDefault();
  const errors = $('export-error');
  show(errors);
  $('export-log').replaceChildren();
  $('export-result').replaceChildren();
  if (running) running.stopped = true;
  try {
    const token = await accessToken();
    const target = kickOffUrl();
    const response = await fetch(target, { headers: { Accept: 'application/fhir+json', Prefer: 'respond-async', ...authHeaders(token) } });
    logExchange('GET', target, response);
    if (response.status === 202) await drain(response);
    if (response.status !== 202) {
      show(errors, 'error', `The kick-off was not accepted: ${await describeError(response)}`);
      return;
    }
    const statusUrl = response.headers.get('Content-Location');
    running = { statusUrl, token, stopped: false };
    $('export-cancel').disabled = false;
    await poll(running);
  } catch (error) {
    show(errors, 'error', error.message);
  }
}

async function poll(job) {
  let wait = 1;
  while (!job.stopped) {
    const response = await fetch(job.statusUrl, { headers: { Accept: 'application/json', ...authHeaders(job.token) } });
    if (job.stopped) return;
    if (response.status === 202 || response.status === 429) {
      await drain(response);
      wait = retryAfterSeconds(response, Math.min(wait * 2, 10));
      logExchange('GET', job.statusUrl, response, `Waiting ${wait.toFixed(1)} s as the server asks.`);
      await sleep(wait);
      continue;
    }
    const body = await response.clone().json().catch(() => null);
    if (response.status === 200) await drain(response);
    if (response.status === 200 && body?.resourceType === 'OperationOutcome') {
      // in-progress-200: a 200 that is not the result; a careful client keeps polling.
      wait = retryAfterSeconds(response, Math.min(wait * 2, 10));
      logExchange('GET', job.statusUrl, response, 'A 200 with an OperationOutcome is not a manifest: still in progress.');
      await sleep(wait);
      continue;
    }
    logExchange('GET', job.statusUrl, response);
    $('export-cancel').disabled = true;
    if (response.status === 200 && body) renderManifest(body, job.token);
    else show($('export-error'), 'error', `The export did not complete: ${await describeError(response)}`);
    return;
  }
}

async function cancelExport() {
  if (!running) return;
  running.stopped = true;
  const response = await fetch(running.statusUrl, { method: 'DELETE', headers: authHeaders(running.token) });
  logExchange('DELETE', running.statusUrl, response);
  $('export-cancel').disabled = true;
}

function renderManifest(manifest, token) {
  const region = $('export-result');
  const files = [...(manifest.output ?? []).map((f) => ({ ...f, kind: 'output' })), ...(manifest.error ?? []).map((f) => ({ ...f, kind: 'error' }))];
  const list = el('ul', { id: 'export-files' }, files.map((file) => el('li', {},
    el('button', { type: 'button', class: 'secondary', onclick: () => download(file, manifest.requiresAccessToken ? token : null, status) },
      `Download ${file.type}${file.kind === 'error' ? ' (errors)' : ''}`),
    ' ', el('span', { class: 'hint' }, file.count !== undefined ? `${file.count} resources` : ''))));
  const status = el('p', { role: 'status', id: 'download-status' });
  region.replaceChildren(el('h3', {}, 'Manifest'), el('pre', { id: 'export-manifest' }, JSON.stringify(manifest, null, 2)),
    el('h3', {}, 'Files'), files.length ? list : el('p', {}, 'The manifest lists no files.'), status);
}

async function download(file, token, status) {
  status.textContent = `Downloading ${file.type}…`;
  try {
    const response = await fetch(file.url, { headers: { Accept: 'application/fhir+ndjson', ...authHeaders(token) } });
    if (!response.ok) throw new Error(await describeError(response));
    const blob = await response.blob();
    const name = new URL(file.url).pathname.split('/').pop() || `${file.type}.ndjson`;
    const link = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    status.textContent = `Downloaded ${name} (${blob.size} bytes).`;
  } catch (error) {
    status.textContent = `Download of ${file.type} failed: ${error.message}`;
  }
}

// ---- start ----------------------------------------------------------------------------------------------------

async function start() {
  try {
    config = await api('console/api/launch');
  } catch (error) {
    show($('load-error'), 'error', `Could not read this server's settings: ${error.message}`);
    return;
  }
  renderServer();
  renderRegistration();
  renderBehaviours();
  updateTokenChoices();
  for (const radio of document.querySelectorAll('input[name=key-source]')) radio.addEventListener('change', showKeyPanel);
  for (const radio of document.querySelectorAll('input[name=token-source]')) {
    radio.addEventListener('change', () => { $('token-paste-panel').hidden = !$('token-paste').checked; });
  }
  $('generate-button').addEventListener('click', () => generateKey().catch((e) => show($('register-error'), 'error', e.message)));
  $('register-form').addEventListener('submit', register);
  $('clients-refresh').addEventListener('click', loadClients);
  $('copy-base').addEventListener('click', () => copy(simulatedBase(), $('simulated-base')));
  $('export-level').addEventListener('change', () => { $('group-panel').hidden = $('export-level').value !== 'group'; });
  $('export-form').addEventListener('submit', startExport);
  $('export-cancel').addEventListener('click', cancelExport);
  await loadClients();
  document.body.dataset.ready = 'true';
}

start();

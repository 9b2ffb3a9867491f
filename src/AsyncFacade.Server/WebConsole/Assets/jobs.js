// The jobs list. Live updates are polling (see JobsConsoleEndpoints): every 2 s the page asks again with If-None-Match
// and the server answers 304 while the page is unchanged. The filters live in the URL query, so a view can be shared.
import { el, url, describeError, show } from './console.js';

const POLL_MS = 2000;
const form = document.getElementById('filters');
const body = document.querySelector('#jobs tbody');
const status = document.getElementById('status');
const error = document.getElementById('error');
const empty = document.getElementById('empty');
const older = document.getElementById('older');
const filterNames = ['state', 'owner', 'kind'];

let etag = null;
let shownCount = null;

function currentQuery() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of [...filterNames, 'before']) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

function fillForm() {
  const params = new URLSearchParams(location.search);
  for (const name of filterNames) form.elements[name].value = params.get(name) ?? '';
}

function when(value) {
  if (!value) return '';
  const date = new Date(value);
  return el('time', { datetime: value, title: value }, date.toLocaleString());
}

function row(job) {
  return el('tr', { 'data-job': job.id },
    el('td', {}, el('a', { href: `console/jobs/${encodeURIComponent(job.id)}` }, job.kind)),
    el('td', {}, job.owner),
    el('td', {}, el('span', { class: `state ${job.state}` }, job.state)),
    el('td', { class: 'progress' }, job.progress ?? ''),
    el('td', {}, when(job.createdAt)),
    el('td', {}, when(job.updatedAt)),
    el('td', {}, when(job.expiresAt)));
}

function render(list) {
  body.replaceChildren(...list.jobs.map(row));
  empty.hidden = list.jobs.length > 0;
  if (list.next) {
    const query = currentQuery();
    query.set('before', list.next);
    older.href = `console/jobs?${query}`;
    older.hidden = false;
  } else {
    older.hidden = true;
  }
  if (shownCount !== list.jobs.length) {
    shownCount = list.jobs.length;
    show(status, 'ok', `${shownCount} job${shownCount === 1 ? '' : 's'} shown.`);
  }
}

async function refresh() {
  const headers = { Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  try {
    const response = await fetch(url(`console/api/jobs?${currentQuery()}`), { headers, cache: 'no-store' });
    if (response.status === 304) return;
    if (!response.ok) {
      show(error, 'error', await describeError(response));
      return;
    }
    etag = response.headers.get('ETag');
    render(await response.json());
    show(error, 'error', '');
  } catch (e) {
    show(error, 'error', `The server could not be reached: ${e.message}`);
  }
}

function applyFilters(event) {
  event.preventDefault();
  const query = new URLSearchParams();
  for (const name of filterNames) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  history.pushState(null, '', query.size ? `console/jobs?${query}` : 'console/jobs');
  etag = null;
  refresh();
}

form.addEventListener('submit', applyFilters);
document.getElementById('clear').addEventListener('click', (event) => {
  for (const name of filterNames) form.elements[name].value = '';
  applyFilters(event);
});
addEventListener('popstate', () => { fillForm(); etag = null; refresh(); });

fillForm();
refresh();
setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);

// One job: its facts, request (redacted by the server), result, units and errors; refreshed every 2 s until it ends.
// Cancel asks for confirmation, then calls the console's cancel API, which is the status URL's DELETE.
import { el, api, show } from './console.js';

const POLL_MS = 2000;
const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const status = document.getElementById('status');
const error = document.getElementById('error');
const cancelActions = document.getElementById('cancel-actions');
const confirmActions = document.getElementById('confirm-actions');
let timer = null;

function when(value) {
  return value ? el('time', { datetime: value, title: value }, new Date(value).toLocaleString()) : '—';
}

function facts(detail) {
  const job = detail.job;
  const items = [
    ['Kind', job.kind], ['Id', job.id], ['Owner', job.owner],
    ['State', el('span', { class: `state ${job.state}`, id: 'state' }, job.state)],
    ['Progress (X-Progress)', el('span', { id: 'progress' }, job.progress ?? '—')],
    ['Created', when(job.createdAt)], ['Updated', when(job.updatedAt)], ['Started', when(detail.startedAt)],
    ['Completed', when(detail.completedAt)], ['Result expires', when(job.expiresAt)], ['Result mode', detail.mode],
    ['Status URL', el('code', {}, detail.statusUrl)],
  ];
  document.getElementById('facts').replaceChildren(...items.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
}

function request(view) {
  const lines = [`${view.method} ${view.fhirBase}/${view.url}`];
  for (const [name, value] of Object.entries(view.headers)) lines.push(`${name}: ${value}`);
  if (view.hasBody) lines.push('', '(a request body was saved with the job; it is not shown)');
  if (view.callbackUrl) lines.push('', `callback-url: ${view.callbackUrl}`);
  if (view.scope) lines.push(`scope: ${view.scope}`);
  document.getElementById('request').textContent = lines.join('\n');
}

function units(list) {
  document.getElementById('units-section').hidden = list.length === 0;
  document.querySelector('#units tbody').replaceChildren(...list.map((unit) => el('tr', {},
    el('td', {}, unit.type), el('td', {}, unit.slice ?? 'whole type'),
    el('td', {}, el('span', { class: `state ${unit.state}` }, unit.state)),
    el('td', { class: 'number' }, unit.resources.toLocaleString()),
    el('td', { class: 'number' }, unit.expected?.toLocaleString() ?? '—'),
    el('td', {}, unit.error ?? ''))));
}

function render(detail) {
  const job = detail.job;
  document.getElementById('title').textContent = `${job.kind} ${job.id}`;
  document.title = `${job.kind} · Jobs · AsyncFacade`;
  facts(detail);
  request(detail.request);
  document.getElementById('result').textContent = detail.result ?? (job.state === 'completed' ? 'Completed.' : 'Not finished yet.');
  units(detail.units);
  document.getElementById('errors-section').hidden = !detail.outcome;
  document.getElementById('outcome').textContent = detail.outcome ? JSON.stringify(detail.outcome, null, 2) : '';
  const active = job.state === 'queued' || job.state === 'running';
  const cancellable = active || job.state === 'completed' || job.state === 'failed';
  cancelActions.hidden = !cancellable || !confirmActions.hidden;
  document.getElementById('cancel').textContent = active ? 'Cancel job…' : 'Delete job and results…';
  if (!active && timer) {
    clearInterval(timer);
    timer = null;
  }
}

async function load() {
  try {
    render(await api(`console/api/jobs/${encodeURIComponent(id)}`));
    show(error, 'error', '');
  } catch (e) {
    if (e.status === 404) {
      if (timer) clearInterval(timer);
      timer = null;
      cancelActions.hidden = true;
      document.getElementById('facts').replaceChildren(el('dt', {}, 'State'), el('dd', { id: 'state' }, 'gone'));
      show(error, 'error', 'This job is gone: cancelled and cleaned up, expired, or never existed. Its status URL answers 404.');
    } else {
      show(error, 'error', e.message);
    }
  }
}

document.getElementById('cancel').addEventListener('click', () => {
  cancelActions.hidden = true;
  confirmActions.hidden = false;
  document.getElementById('confirm').focus();
});
document.getElementById('keep').addEventListener('click', () => {
  confirmActions.hidden = true;
  cancelActions.hidden = false;
  document.getElementById('cancel').focus();
});
document.getElementById('confirm').addEventListener('click', async () => {
  confirmActions.hidden = true;
  try {
    const outcome = await api(`console/api/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
    show(status, 'ok', outcome?.issue?.[0]?.diagnostics ?? 'Cancelled.');
  } catch (e) {
    show(error, 'error', e.message);
  }
  await load();
});

load();
timer = setInterval(() => { if (!document.hidden) load(); }, POLL_MS);

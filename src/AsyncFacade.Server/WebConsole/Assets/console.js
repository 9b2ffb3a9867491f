// Shared helpers for the console pages. No framework: pages build the DOM with el() and textContent, never innerHTML,
// so nothing a user or a server sends can run as markup.
'use strict';

/** The server's root as the page was served (its path base included): every URL is built from it. */
export const base = new URL(document.baseURI);

/** An absolute URL for a server path such as "fhir/$export" (no leading slash: it is relative to the path base). */
export function url(path) {
  return new URL(path.replace(/^\//, ''), base).toString();
}

/** Creates an element: el('a', { href: '…', class: 'x' }, 'text', child). Attributes set as attributes, children as text or nodes. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The first diagnostics of an OperationOutcome body, or the status line. */
export async function describeError(response) {
  let text = `${response.status} ${response.statusText}`;
  try {
    const body = await response.clone().json();
    const issue = body?.issue?.[0];
    if (issue) text = `${response.status}: ${issue.diagnostics ?? issue.details?.text ?? issue.code}`;
    else if (body?.error) text = `${response.status}: ${body.error}${body.error_description ? ` (${body.error_description})` : ''}`;
  } catch { /* not JSON: keep the status line */ }
  return text;
}

/** fetch() relative to the path base; JSON in and out. Throws an Error carrying the server's message on a non-2xx answer. */
export async function api(path, init = {}) {
  const headers = new Headers(init.headers ?? {});
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  let body = init.body;
  if (body !== undefined && typeof body !== 'string' && !(body instanceof FormData)) {
    body = JSON.stringify(body);
    headers.set('Content-Type', 'application/json');
  }
  const response = await fetch(url(path), { ...init, headers, body });
  if (!response.ok) {
    const error = new Error(await describeError(response));
    error.status = response.status;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

/** Shows a message in a live region (role=status or role=alert), replacing the previous one; kind is 'ok' or 'error'. */
export function show(region, kind, text) {
  region.replaceChildren();
  if (!text) return;
  region.append(el('div', { class: `message ${kind}` }, text));
}

/** Copies text to the clipboard; falls back to selecting it when the clipboard API is refused (plain HTTP origins). */
export async function copy(text, fallbackNode) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallbackNode) {
      const range = document.createRange();
      range.selectNodeContents(fallbackNode);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }
    return false;
  }
}

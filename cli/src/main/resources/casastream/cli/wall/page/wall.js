// The stream wall's page. Everything received is shown with textContent or as attribute values
// set through the DOM, never parsed as markup: a stream id or caption cannot inject anything.
'use strict';

const PAGE_SIZE = 24;
const HIGHLIGHT_MILLIS = 30000;
const view = { page: 0, filter: '', pages: 1 };
let refreshing = false;
let refreshAgain = false;
let clipTimer = null;

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function say(message) {
  $('status').textContent = message || '';
}

async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).error || message; } catch (ignored) { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function query(params) {
  return Object.entries(params).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
}

function time(millis) {
  return new Date(millis).toLocaleTimeString();
}

// Tiles and alert items are kept by key and updated in place: an update never replaces the node
// under the pointer, and a thumbnail is fetched again only when the stream has a new one.
const tiles = new Map();
const alertItems = new Map();
const questionItems = new Map();
const questionKey = (q) => q.id + '\n' + q.description;

function tileNode(streamId) {
  let node = tiles.get(streamId);
  if (!node) {
    node = el('article', 'tile');
    node.setAttribute('data-stream', streamId);
    const img = el('img');
    img.alt = 'latest frame of ' + streamId;
    node.append(img, el('div', 'id', streamId), el('div', 'caption'), el('div', 'meta'), el('ul', 'answers'));
    tiles.set(streamId, node);
  }
  return node;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function tile(stream, questions) {
  const node = tileNode(stream.streamId);
  node.classList.toggle('alerting', Boolean(stream.lastAlertTime) && Date.now() - stream.lastAlertTime < HIGHLIGHT_MILLIS);
  const img = node.querySelector('img');
  const version = String(stream.thumbnailVersion);
  if (stream.thumbnailVersion > 0 && img.getAttribute('data-version') !== version) {
    img.setAttribute('data-version', version);
    img.src = '/api/thumbnail?' + query({ stream: stream.streamId, v: stream.thumbnailVersion });
  }
  setText(node.querySelector('.caption'), stream.caption || '(no caption yet)');
  const captionOf = stream.captionSequence >= 0 ? 'caption of #' + stream.captionSequence + ' (' + time(stream.captionTime) + ')' : '';
  const shown = stream.thumbnailSequence >= 0 ? 'frame #' + stream.thumbnailSequence + ' shown' : '';
  setText(node.querySelector('.meta'), [shown, captionOf].filter(Boolean).join('; '));
  const answers = node.querySelector('.answers');
  const items = [];
  for (const [queryId, answer] of Object.entries(stream.answers || {})) {
    const question = questions.get(queryId);
    let item = answers.querySelector('li[data-query="' + CSS.escape(queryId) + '"]');
    if (!item) {
      item = el('li');
      item.setAttribute('data-query', queryId);
    }
    item.className = answer.trim().toLowerCase() === 'yes' ? 'yes' : 'no';
    setText(item, (question ? question.question : queryId) + ' ' + answer);
    items.push(item);
  }
  keep(answers, items);
  return node;
}

/** Makes the container's children exactly these nodes, in this order, moving rather than re-creating them. */
function keep(container, nodes) {
  const wanted = new Set(nodes);
  for (const child of Array.from(container.children)) {
    if (!wanted.has(child)) child.remove();
  }
  nodes.forEach((node, i) => {
    if (container.children[i] !== node) container.insertBefore(node, container.children[i] || null);
  });
}

async function refresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    const [page, alerts, questionList] = await Promise.all([
      api('/api/streams?' + query({ filter: view.filter, page: view.page, size: PAGE_SIZE })),
      api('/api/alerts?' + query({ filter: view.filter, max: 50 })),
      api('/api/questions'),
    ]);
    const questions = new Map(questionList.map((q) => [q.id, q]));
    view.pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    if (view.page >= view.pages) { view.page = view.pages - 1; refreshAgain = true; }
    keep($('grid'), page.streams.map((s) => tile(s, questions)));
    const shown = new Set(page.streams.map((s) => s.streamId));
    for (const id of Array.from(tiles.keys())) if (!shown.has(id)) tiles.delete(id);
    $('count').textContent = page.total + (page.total === 1 ? ' stream' : ' streams');
    $('page').textContent = 'page ' + (view.page + 1) + ' of ' + view.pages;
    keep($('alerts'), alerts.map(alertItem));
    const listed = new Set(alerts.map((a) => a.eventId));
    for (const id of Array.from(alertItems.keys())) if (!listed.has(id)) alertItems.delete(id);
    keep($('questions'), questionList.map(questionItem));
    const asked = new Set(questionList.map(questionKey));
    for (const key of Array.from(questionItems.keys())) if (!asked.has(key)) questionItems.delete(key);
  } catch (e) {
    say('Cannot reach the wall: ' + e.message);
  } finally {
    refreshing = false;
    if (refreshAgain) { refreshAgain = false; setTimeout(refresh, 0); }
  }
}

function alertItem(alert) {
  let item = alertItems.get(alert.eventId);
  if (item) return item;
  item = el('li', 'alert');
  item.setAttribute('data-event', alert.eventId);
  item.setAttribute('data-stream', alert.streamId);
  item.textContent = time(alert.captureTime) + '  ' + alert.streamId + '  ' + alert.queryId + ': ' + alert.answer
      + '  (' + alert.frames + (alert.frames === 1 ? ' frame)' : ' frames)');
  item.title = 'play the frames behind this alert';
  item.addEventListener('click', () => playClip(alert));
  alertItems.set(alert.eventId, item);
  return item;
}

function questionItem(question) {
  let item = questionItems.get(questionKey(question));
  if (item) return item;
  item = el('li', 'question');
  item.setAttribute('data-query', question.id);
  item.append(el('span', null, question.description + ' '));
  const remove = el('button', 'remove', 'remove');
  remove.type = 'button';
  remove.addEventListener('click', async () => {
    try {
      await api('/api/questions/' + encodeURIComponent(question.id), { method: 'DELETE' });
      say('Removed ' + question.id);
      refresh();
    } catch (e) { say(e.message); }
  });
  item.append(remove);
  questionItems.set(questionKey(question), item);
  return item;
}

async function ask(event) {
  event.preventDefault();
  const form = {
    id: $('q-id').value.trim(),
    question: $('q-text').value.trim(),
    mode: $('q-mode').value,
    streams: $('q-streams').value.trim(),
  };
  try {
    await api('/api/questions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(form) });
    say('Asked ' + form.id + ': the job answers from its next frames');
    $('q-id').value = '';
    $('q-text').value = '';
    refresh();
  } catch (e) { say(e.message); }
}

async function playClip(alert) {
  try {
    const clip = await api('/api/clips/' + encodeURIComponent(alert.eventId));
    if (clip.frames.length === 0) { say('No frames of this alert could be read'); return; }
    const frames = clip.frames;
    const image = $('clip-frame');
    let i = 0;
    const show = () => {
      const frame = frames[i];
      image.src = '/api/clips/' + encodeURIComponent(alert.eventId) + '/' + i;
      image.classList.toggle('in-range', frame.inRange);
      $('clip-caption').textContent = alert.streamId + '  #' + frame.sequence + '  ' + time(frame.captureTime)
          + '  (' + (i + 1) + ' of ' + frames.length + ')';
      const next = frames[(i + 1) % frames.length];
      const pause = i + 1 === frames.length ? 1500 : Math.min(1000, Math.max(100, next.captureTime - frame.captureTime));
      i = (i + 1) % frames.length;
      clipTimer = setTimeout(show, pause);
    };
    stopClip();
    $('clip').hidden = false;
    show();
  } catch (e) { say('Cannot play the clip: ' + e.message); }
}

function stopClip() {
  if (clipTimer) clearTimeout(clipTimer);
  clipTimer = null;
}

function follow() {
  const source = new EventSource('/api/updates');
  source.addEventListener('changed', () => {
    $('live').textContent = 'live';
    $('live').className = 'on';
    refresh();
  });
  source.addEventListener('refused', (e) => say(e.data));
  source.onerror = () => {
    $('live').textContent = 'reconnecting';
    $('live').className = 'off';
  };
}

document.addEventListener('DOMContentLoaded', () => {
  let typing = null;
  $('filter').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { view.filter = $('filter').value.trim(); view.page = 0; refresh(); }, 200);
  });
  $('prev').addEventListener('click', () => { if (view.page > 0) { view.page--; refresh(); } });
  $('next').addEventListener('click', () => { if (view.page + 1 < view.pages) { view.page++; refresh(); } });
  $('question-form').addEventListener('submit', ask);
  $('clip-close').addEventListener('click', () => { stopClip(); $('clip').hidden = true; });
  refresh();
  follow();
});

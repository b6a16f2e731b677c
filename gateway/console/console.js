(() => {
  const $ = (id) => document.getElementById(id);
  const STORE = 'switchboard.console.token';
  let token = sessionStorage.getItem(STORE);
  let me = null, current = null, cursor = null, ws = null, retry = 0, wasLive = false;
  const rows = new Map();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    // Customer and agent text is only ever set as textContent, never parsed as HTML.
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function showError(msg) { $('error').textContent = msg; $('error').hidden = !msg; }
  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: Object.assign({ authorization: 'Bearer ' + token }, body ? { 'content-type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.status === 401) { signOut(); throw new Error('The token was refused.'); }
    if (!res.ok) throw new Error((data && data.error && data.error.message) || ('HTTP ' + res.status));
    return data;
  }
  const when = (iso) => new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const contactOf = (c) => c.contact.name || c.contact.email || c.contact.phone || 'unknown';

  function matchesFilter(c) {
    const st = $('f-state').value, qu = $('f-queue').value, q = $('q').value.trim().toLowerCase();
    if (st && c.state !== st) return false;
    if (qu && c.queue !== qu) return false;
    if ($('f-mine').checked && (!me.agentId || c.assignee !== me.agentId)) return false;
    if (q && !(c.subject.toLowerCase().includes(q) || c.number.toLowerCase() === q)) return false;
    return true;
  }

  // SLA: the promise that matters most now (broken, else the nearest running, else paused or kept)
  const TARGETS = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };
  const RANK = { breached: 0, running: 1, paused: 2, met: 3 };
  function topPromise(c) {
    if (!c.sla) return null;
    const all = Object.keys(TARGETS).filter((t) => c.sla[t]).map((t) => Object.assign({ name: TARGETS[t] }, c.sla[t]));
    all.sort((a, b) => RANK[a.state] - RANK[b.state] || String(a.dueAt).localeCompare(String(b.dueAt)));
    return all[0] || null;
  }
  function span(ms) {
    const s = Math.round(Math.abs(ms) / 1000), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + m + 'm' : m ? m + 'm ' + (s % 60) + 's' : (s % 60) + 's';
  }
  /** An element that counts down to a promise's due time, redrawn every second (see tick). */
  function slaBadge(c, long) {
    const p = topPromise(c);
    if (!p) return null;
    const b = el('span', 'badge sla');
    b.dataset.name = p.name; b.dataset.state = p.state; b.dataset.long = long ? '1' : '';
    if (p.dueAt) b.dataset.due = p.dueAt;
    drawBadge(b);
    return b;
  }
  function drawBadge(b) {
    const name = b.dataset.long ? b.dataset.name + ' ' : '';
    const left = b.dataset.due ? Date.parse(b.dataset.due) - Date.now() : NaN;
    let state = b.dataset.state;
    if (state === 'running' && left <= 0) state = 'breached';
    b.className = 'badge sla sla-' + (state === 'running' && left < 30 * 60000 ? 'soon' : state);
    b.textContent = state === 'paused' ? name + 'paused' : state === 'met' ? name + 'met' : state === 'breached' ? name + (b.dataset.due ? 'overdue ' + span(left) : 'breached') : name + 'due in ' + span(left);
    b.title = b.dataset.name + (b.dataset.due ? ' due ' + new Date(b.dataset.due).toLocaleString() : '');
  }
  setInterval(() => document.querySelectorAll('.badge.sla').forEach(drawBadge), 1000);

  function renderRow(c) {
    let li = rows.get(c.number);
    if (!li) { li = el('li'); li.dataset.number = c.number; li.addEventListener('click', () => openCase(c.number)); rows.set(c.number, li); }
    li.textContent = '';
    const r1 = el('div', 'row1');
    r1.append(el('span', 'num', c.number), el('span', 'badge p' + c.priority, 'P' + c.priority), el('span', 'badge state-' + c.state, c.state.replace('_', ' ')));
    const sla = slaBadge(c, false);
    if (sla) r1.append(sla);
    r1.append(el('span', 'subj', c.subject || '(no subject)'));
    const r2 = el('div', 'row2', contactOf(c) + ' · ' + c.channel + ' · ' + (c.queue || 'no queue') + (c.assignee ? ' · assigned' : '') + ' · ' + when(c.updatedAt));
    li.append(r1, r2);
    li.classList.toggle('selected', current === c.number);
    return li;
  }

  async function loadCases(append) {
    const p = new URLSearchParams();
    if ($('f-state').value) p.set('state', $('f-state').value);
    if ($('f-queue').value) p.set('queue', $('f-queue').value);
    if ($('f-mine').checked && me.agentId) p.set('assignee', me.agentId);
    if ($('q').value.trim()) p.set('q', $('q').value.trim());
    if ($('f-sort').value) p.set('sort', $('f-sort').value);
    if (append && cursor) p.set('cursor', cursor);
    p.set('limit', '50');
    const page = await api('GET', '/api/v1/cases?' + p);
    if (!append) { $('cases').textContent = ''; rows.clear(); }
    for (const c of page.items) $('cases').appendChild(renderRow(c));
    cursor = page.nextCursor;
    $('more').hidden = !cursor;
  }

  function renderHead(c) {
    $('c-title').textContent = c.number + ' · ' + (c.subject || '(no subject)');
    const facts = $('c-facts');
    facts.textContent = '';
    const items = [
      'state ' + c.state.replace('_', ' '), 'priority ' + c.priority, 'channel ' + c.channel, 'queue ' + (c.queue || '—'),
      'assignee ' + (c.assignee ? (me.agentId === c.assignee ? 'me' : c.assignee) : '—'),
      'contact ' + [c.contact.name, c.contact.email, c.contact.phone].filter(Boolean).join(' · '),
      'sentiment ' + c.sentiment.toFixed(2) + (c.frustrated ? ' (frustrated)' : ''),
    ];
    if (c.category) items.push('category ' + c.category);
    if (c.tags.length) items.push('tags ' + c.tags.join(', '));
    if (c.linkedCase) items.push('follows ' + c.linkedCase);
    for (const f of items) facts.appendChild(el('span', '', f));
    const sla = slaBadge(c, true);
    if (sla) { sla.title = 'SLA ' + c.sla.policy + ': ' + sla.title; facts.appendChild(sla); }
    const closed = c.state === 'closed';
    $('a-claim').hidden = !me.agentId || c.assignee === me.agentId;
    $('a-release').hidden = !me.agentId || c.assignee !== me.agentId;
    $('a-resolve').hidden = closed || c.state === 'resolved';
    $('a-reopen').hidden = !(c.state === 'resolved');
    $('a-close').hidden = closed;
    $('a-priority').value = String(c.priority);
    $('a-queue').value = c.queue || '';
    for (const b of ['a-claim', 'a-release', 'a-resolve', 'a-reopen', 'a-priority', 'a-queue']) $(b).disabled = closed;
  }

  function renderItem(i) {
    const kind = i.direction === 'note' || i.kind === 'notice' ? 'note' : i.direction === 'event' ? 'event' : i.direction;
    let div = document.querySelector('[data-interaction="' + CSS.escape(i.id) + '"]');
    if (!div) { div = el('div'); div.dataset.interaction = i.id; $('timeline').appendChild(div); }
    div.className = 'item ' + kind + (i.status === 'failed' || i.status === 'undelivered' ? ' failed' : '');
    div.textContent = i.text || (i.attachments.length ? '' : '(empty)');
    const meta = [];
    if (i.direction === 'inbound') meta.push(i.channel + (i.kind !== 'message' ? ' ' + i.kind.replace('_', ' ') : ''));
    if (i.direction === 'outbound') meta.push(({ auto_reply: 'automatic', notice: 'internal notice' }[i.kind] || 'reply') + ' via ' + i.channel + ' · ' + i.status + (i.error ? ' (' + i.error + ')' : ''));
    if (i.direction === 'note') meta.push('internal note');
    if (i.attachments.length) meta.push(i.attachments.length + ' attachment(s): ' + i.attachments.map((a) => a.name).join(', '));
    meta.push(when(i.createdAt));
    div.appendChild(el('span', 'meta', meta.join(' · ')));
  }

  async function openCase(number) {
    current = number;
    for (const [n, li] of rows) li.classList.toggle('selected', n === number);
    const c = await api('GET', '/api/v1/cases/' + encodeURIComponent(number));
    if (current !== number) return;
    $('empty').hidden = true; $('case').hidden = false; $('timeline').hidden = false; $('composer').hidden = c.state === 'closed';
    renderHead(c);
    $('timeline').textContent = '';
    c.interactions.forEach(renderItem);
    $('timeline').scrollTop = $('timeline').scrollHeight;
  }

  async function act(patch) {
    try { showError(''); renderHead(await api('PATCH', '/api/v1/cases/' + current, patch)); } catch (e) { showError(e.message); }
  }
  $('a-claim').onclick = () => act({ assignee: me.agentId });
  $('a-release').onclick = () => act({ assignee: null });
  $('a-resolve').onclick = () => act({ state: 'resolved' });
  $('a-reopen').onclick = () => act({ state: 'open' });
  $('a-close').onclick = () => { if (confirm('Close ' + current + '? A closed case is final.')) act({ state: 'closed' }); };
  $('a-priority').onchange = () => act({ priority: Number($('a-priority').value) });
  $('a-queue').onchange = () => act({ queue: $('a-queue').value });

  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('reply').value;
    if (!text.trim() || !current) return;
    $('send').disabled = true;
    try {
      showError('');
      await api('POST', '/api/v1/cases/' + current + '/replies', { text, internal: $('internal').checked });
      $('reply').value = '';
    } catch (err) { showError(err.message); } finally { $('send').disabled = false; }
  });
  $('reply').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('composer').requestSubmit(); });
  $('internal').onchange = () => { $('reply').placeholder = $('internal').checked ? 'Note for colleagues (the customer never sees it)…' : 'Write to the customer…'; };

  let searchTimer = null;
  $('q').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => loadCases(false).catch((e) => showError(e.message)), 250); });
  for (const id of ['f-state', 'f-queue', 'f-mine', 'f-sort']) $(id).onchange = () => loadCases(false).catch((e) => showError(e.message));
  $('more').onclick = () => loadCases(true).catch((e) => showError(e.message));

  // Events the stream dropped (or missed while reconnecting) are only in the store: read it again. One
  // reload at a time; resyncs that arrive meanwhile are folded into one more.
  let reloading = false, reloadAgain = false;
  async function resync() {
    if (reloading) { reloadAgain = true; return; }
    reloading = true;
    try { await Promise.all([loadCases(false), current ? openCase(current) : null]); } catch (e) { showError(e.message); }
    reloading = false;
    if (reloadAgain) { reloadAgain = false; resync(); }
  }

  function onFrame(f) {
    if (f.type === 'resync') { resync(); return; }
    if (!f.case) return;
    const c = f.case;
    const li = rows.get(c.number);
    if (li || (f.type === 'case.created' || matchesFilter(c))) {
      if (matchesFilter(c)) {
        const node = renderRow(c);
        if (!li) $('cases').prepend(node);
      } else if (li) { li.remove(); rows.delete(c.number); }
    }
    if (current === c.number) {
      renderHead(c);
      $('composer').hidden = c.state === 'closed';
      if (f.interaction) {
        const tl = $('timeline'), atEnd = tl.scrollHeight - tl.scrollTop - tl.clientHeight < 40;
        renderItem(f.interaction);
        if (atEnd) tl.scrollTop = tl.scrollHeight;
      }
    }
  }

  function connect() {
    const url = new URL('/api/v1/stream', location.href.replace(/^http/, 'ws'));
    url.searchParams.set('access_token', token);
    ws = new WebSocket(url);
    let opened = false;
    ws.onopen = () => {
      // what happened while the socket was down reached no one
      if (wasLive) resync();
      opened = true; wasLive = true; retry = 0; $('live').textContent = '● live';
    };
    ws.onmessage = (ev) => { let f; try { f = JSON.parse(ev.data); } catch { return; } onFrame(f); };
    ws.onclose = (ev) => {
      // A revoked token must not keep knocking: every refused attempt counts against this address's limit.
      if (ev.code === 4401 && ev.reason === 'token revoked') { signOut(); showError('Your token was revoked; sign in again.'); return; }
      $('live').textContent = '○ reconnecting';
      if (!token) return;
      // a refused upgrade closes before opening: ask the API once whether the token still holds (a 401 signs out)
      const next = () => setTimeout(connect, Math.min(15000, 500 * 2 ** retry++));
      if (opened) next();
      else api('GET', '/api/v1/me').then(next, () => { if (token) next(); });
    };
  }

  async function start() {
    try {
      me = await api('GET', '/api/v1/me');
      me.agentId = me.agent ? me.agent.id : null;
    } catch (e) { showError(e.message); return; }
    showError('');
    $('signin').hidden = true; $('desk').hidden = false; $('signout').hidden = false;
    $('who').textContent = (me.agent ? me.agent.name : 'token') + ' · ' + me.role;
    if (me.agent) { $('presence').hidden = false; $('presence').value = me.agent.presence; }
    const queues = await api('GET', '/api/v1/queues');
    for (const q of queues.items) { $('f-queue').appendChild(el('option', '', q.name)); const o = el('option', '', q.name); o.value = q.name; $('a-queue').appendChild(o); }
    await loadCases(false);
    // a link to a case (an email notice's) opens it
    if (/^#CS\d{7,}$/.test(location.hash)) openCase(location.hash.slice(1)).catch((e) => showError(e.message));
    wasLive = false;
    connect();
  }
  $('presence').onchange = async () => {
    try { await api('PUT', '/api/v1/agents/' + me.agentId + '/presence', { presence: $('presence').value }); } catch (e) { showError(e.message); }
  };

  function signOut() {
    sessionStorage.removeItem(STORE); token = null;
    if (ws) ws.close();
    $('desk').hidden = true; $('signin').hidden = false; $('signout').hidden = true; $('presence').hidden = true; $('who').textContent = ''; $('live').textContent = '';
  }
  $('signout').onclick = signOut;
  $('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem(STORE, token);
    start();
  });

  if (token) start(); else $('signin').hidden = false;
})();

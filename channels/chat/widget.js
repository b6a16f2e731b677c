(() => {
  const $ = (id) => document.getElementById(id);
  const log = $('log'), status = $('status');
  const seen = new Set();
  let ws = null, retry = 0, pending = [];
  const STORE = 'switchboard.chat';

  // what to expect: how soon a usual chat is answered, or, after hours, when the team is back (in the visitor's own time)
  function duration(iso) {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso || '');
    if (!m) return null;
    const [d, h, min, s] = m.slice(1).map((v) => Number(v || 0));
    const parts = [[d, 'day'], [h, 'hour'], [min, 'minute'], [s, 'second']].filter(([n]) => n > 0).map(([n, u]) => n + ' ' + u + (n === 1 ? '' : 's'));
    return parts.length ? parts.join(' ') : null;
  }
  fetch('availability').then((r) => (r.ok ? r.json() : null)).then((a) => {
    if (!a) return;
    const within = duration(a.firstResponse);
    if (!a.open && a.opensAt) {
      const back = new Date(a.opensAt).toLocaleString([], { weekday: 'long', hour: '2-digit', minute: '2-digit' });
      $('availability').textContent = 'We are away right now and back ' + back + '. Leave a message and we will answer then.';
    } else if (within) {
      $('availability').textContent = 'We usually answer within ' + within + (a.businessTime ? ' during business hours' : '') + '.';
    }
  }).catch(() => {});

  function saved() { try { return JSON.parse(localStorage.getItem(STORE) || 'null'); } catch { return null; } }

  // Customer and agent text is only ever set as textContent, never parsed as HTML.
  function show(m) {
    if (m.id && seen.has(m.id)) return;
    if (m.id) seen.add(m.id);
    const div = document.createElement('div');
    div.className = 'msg ' + (m.direction === 'outbound' ? 'outbound' : 'inbound');
    div.textContent = m.text || '';
    if (Array.isArray(m.attachments) && m.attachments.length) {
      const list = files(m.attachments);
      if (!m.text) list.classList.add('only');
      div.appendChild(list);
    }
    const meta = document.createElement('span');
    meta.className = 'meta';
    const at = m.at ? new Date(m.at) : new Date();
    meta.textContent = (m.direction === 'outbound' ? (m.agent || 'Support') + ' · ' : '') + at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    div.appendChild(meta);
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }
  // an agent's files: a link each (http and https only); an image of this origin also shows small (the page's CSP allows no other)
  function files(list) {
    const ul = document.createElement('ul');
    ul.className = 'files';
    for (const f of list) {
      let url;
      try { url = new URL(f.url, location.href); } catch { continue; }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = url.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      const name = String(f.name || 'file');
      if (/^image\//.test(f.contentType || '') && url.origin === location.origin) {
        const img = document.createElement('img');
        img.src = url.href;
        img.alt = name;
        img.className = 'preview';
        a.appendChild(img);
        li.appendChild(a);
        // seen under the preview; the link already says it (the image's alt)
        const caption = document.createElement('span');
        caption.className = 'caption';
        caption.setAttribute('aria-hidden', 'true');
        caption.textContent = name;
        li.appendChild(caption);
      } else {
        a.textContent = name;
        li.appendChild(a);
      }
      ul.appendChild(li);
    }
    return ul;
  }
  function notice(text) {
    const div = document.createElement('div');
    div.className = 'notice';
    div.textContent = text;
    log.appendChild(div);
  }

  function connect(token) {
    const url = new URL('ws', location.href.replace(/^http/, 'ws'));
    url.searchParams.set('token', token);
    ws = new WebSocket(url);
    status.textContent = '· connecting…';
    ws.onopen = () => { retry = 0; status.textContent = '· online'; pending.splice(0).forEach((f) => ws.send(f)); };
    ws.onmessage = (ev) => {
      let f; try { f = JSON.parse(ev.data); } catch { return; }
      if (f.type === 'history') { log.textContent = ''; seen.clear(); f.messages.forEach(show); }
      else if (f.type === 'message') show(f);
      else if (f.type === 'error') notice(f.error && f.error.message ? f.error.message : 'Something went wrong');
    };
    ws.onclose = (ev) => {
      if (ev.code === 1008 || ev.code === 4401) { status.textContent = '· disconnected'; return; }
      status.textContent = '· reconnecting…';
      setTimeout(() => connect(token), Math.min(15000, 500 * 2 ** retry++));
    };
  }

  function begin(session) {
    $('start').hidden = true; log.hidden = false; $('composer').hidden = false;
    connect(session.token);
    $('text').focus();
  }

  $('start').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('begin').disabled = true;
    const body = {};
    if ($('name').value.trim()) body.name = $('name').value.trim();
    if ($('email').value.trim()) body.email = $('email').value.trim();
    const res = await fetch('sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    $('begin').disabled = false;
    if (!res.ok) { const err = await res.json().catch(() => ({})); alert((err.error && err.error.message) || 'Could not start the chat'); return; }
    const session = await res.json();
    localStorage.setItem(STORE, JSON.stringify(session));
    begin(session);
  });

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value;
    if (!text.trim()) return;
    const id = 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    show({ id, direction: 'inbound', text });
    const frame = JSON.stringify({ type: 'message', id, text });
    if (ws && ws.readyState === 1) ws.send(frame); else pending.push(frame);
    $('text').value = '';
  });
  $('text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); }
  });

  const s = saved();
  if (s && s.token) begin(s);
})();

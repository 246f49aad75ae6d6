/** The first console page: the live list of messages. Plain HTML + fetch; no build step. */
export interface ConsoleCategory {
  code: string;
  name: string;
  rubricator: string;
}

export function consolePage(regionName: string, categories: readonly ConsoleCategory[] = []): string {
  // Embedded as JSON; "<" escaped so no category name can close the script element.
  const categoriesJson = JSON.stringify(categories).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ЦУР — ${escapeHtml(regionName)}</title>
<style>
  :root { --bg:#f5f6f8; --fg:#1d2330; --muted:#667085; --line:#e3e6eb; --accent:#2457c5; --bad:#c62828; --warn:#b26a00; --ok:#2e7d32; }
  * { box-sizing: border-box; }
  [hidden] { display:none !important; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--fg); }
  header { display:flex; align-items:center; gap:24px; padding:12px 20px; background:#fff; border-bottom:1px solid var(--line); position:sticky; top:0; z-index:1; }
  header h1 { font-size:17px; margin:0; }
  .counters { display:flex; gap:16px; flex-wrap:wrap; color:var(--muted); }
  .counters b { color:var(--fg); }
  .filters { display:flex; gap:8px; padding:10px 20px; flex-wrap:wrap; }
  select, button, label { font:inherit; }
  select, button { padding:4px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; }
  main { display:grid; grid-template-columns: minmax(0, 1fr) 420px; gap:16px; padding:0 20px 20px; }
  table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
  th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.03em; background:#fafbfc; }
  tr.row { cursor:pointer; }
  tr.row:hover, tr.row.selected { background:#eef3ff; }
  tr.fresh { animation: fresh 2s ease-out; }
  @keyframes fresh { from { background:#fff7d6; } to { background:transparent; } }
  .chip { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; background:#eef1f5; white-space:nowrap; }
  .chip.needs_triage { background:#fff1d6; color:var(--warn); }
  .chip.assigned { background:#e3f2e5; color:var(--ok); }
  .chip.high { background:#fde2e2; color:var(--bad); }
  .due.overdue { color:var(--bad); font-weight:600; }
  table.clocks td { vertical-align:top; padding:4px 6px; border-bottom:1px solid #eee; }
  .chip.clock-breached { background:#fde2e1; color:var(--bad); }
  .chip.clock-met { background:#e3f4e6; }
  .chip.clock-paused, .chip.clock-pending { background:#f1f1f1; }
  details summary { cursor:pointer; color:#555; }
  .due.soon { color:var(--warn); }
  .muted { color:var(--muted); }
  aside { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px; align-self:start; position:sticky; top:64px; max-height:calc(100vh - 80px); overflow:auto; }
  aside h2 { font-size:15px; margin:0 0 8px; }
  aside .text { white-space:pre-wrap; background:#fafbfc; border:1px solid var(--line); border-radius:6px; padding:8px; }
  aside ol { padding-left:18px; }
  .more { margin:10px 0; }
  .error { color:var(--bad); padding:10px 20px; }
  .user { margin-left:auto; display:flex; gap:8px; align-items:center; }
  .login { position:fixed; inset:0; background:var(--bg); display:flex; align-items:center; justify-content:center; z-index:10; }
  .login form { background:#fff; border:1px solid var(--line); border-radius:10px; padding:24px; width:320px; display:flex; flex-direction:column; gap:12px; }
  .login h2 { margin:0; font-size:18px; }
  .login input { width:100%; padding:6px 8px; border:1px solid var(--line); border-radius:6px; font:inherit; }
  .login button { padding:8px; background:var(--accent); color:#fff; border:0; border-radius:6px; font:inherit; cursor:pointer; }
  .login .error { padding:0; }
</style>
</head>
<body>
<header>
  <h1>ЦУР · ${escapeHtml(regionName)}</h1>
  <div class="counters" id="counters" aria-live="polite"></div>
  <div class="user" id="user" hidden><span id="user-name"></span> <span class="muted" id="user-org"></span> <button id="logout">Выйти</button></div>
</header>
<div class="login" id="login" hidden>
  <form id="login-form" autocomplete="on">
    <h2>Вход в систему</h2>
    <label>Логин<br><input id="login-login" name="username" autocomplete="username" required autofocus></label>
    <label>Пароль<br><input id="login-password" name="password" type="password" autocomplete="current-password" required></label>
    <p class="error" id="login-error" role="alert" hidden></p>
    <button type="submit" id="login-submit">Войти</button>
  </form>
</div>
<div class="filters">
  <label>Статус <select id="f-status">
    <option value="">все</option>
    <option value="needs_triage">требует разбора</option>
    <option value="assigned">назначен исполнитель</option>
    <option value="new">поступило</option>
  </select></label>
  <label>Канал <select id="f-channel">
    <option value="">все</option><option value="pos">ПОС</option><option value="appeal">59-ФЗ</option><option value="social">соцсети</option>
  </select></label>
  <label>Срок <select id="f-overdue"><option value="">любой</option><option value="true">просрочено</option><option value="false">в срок</option></select></label>
  <span class="muted" id="updated"></span>
</div>
<div class="error" id="error" hidden></div>
<main>
  <section>
    <table>
      <thead><tr><th>Поступило</th><th>Канал</th><th>Категория</th><th>Территория</th><th>Исполнитель</th><th>Срок ответа</th><th>Статус</th></tr></thead>
      <tbody id="rows"><tr><td colspan="7" class="muted">Загрузка…</td></tr></tbody>
    </table>
    <button class="more" id="more" hidden>Показать ещё</button>
  </section>
  <aside id="detail"><p class="muted">Выберите сообщение, чтобы увидеть текст, срок и историю.</p></aside>
</main>
<script>
(() => {
  const CATEGORIES = ${categoriesJson};
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&':'&amp;', '<':'&lt;', '>':'&gt;', '"':'&quot;', "'":'&#39;' }[c]));
  const fmt = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day:'2-digit', month:'2-digit', hour:'2-digit', minute:'2-digit' });
  const seen = new Set();
  let cursor = null, selected = null, items = [];

  // Sign-in: the access token lives in memory, the refresh token in this tab's session storage.
  const auth = { access: null, refresh: sessionStorage.getItem('cur.refresh'), me: null };
  let refreshing = null;
  async function renew() {
    if (!auth.refresh) return false;
    refreshing ??= fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: auth.refresh }) })
      .then(async (res) => { if (!res.ok) { forget(); return false; } keep(await res.json()); return true; })
      .finally(() => { refreshing = null; });
    return refreshing;
  }
  function keep(tokens) { auth.access = tokens.accessToken; auth.refresh = tokens.refreshToken; sessionStorage.setItem('cur.refresh', tokens.refreshToken); }
  function forget() { auth.access = null; auth.refresh = null; auth.me = null; sessionStorage.removeItem('cur.refresh'); }
  /** fetch with the access token; renews it once on 401, and asks to sign in when that fails. */
  async function api(path, options = {}) {
    if (!auth.access && !(await renew())) { showLogin(); throw new Error('требуется вход'); }
    const call = () => fetch(path, { ...options, headers: { ...(options.headers || {}), Authorization: 'Bearer ' + auth.access } });
    let res = await call();
    if (res.status === 401 && (await renew())) res = await call();
    if (res.status === 401) { showLogin(); throw new Error('требуется вход'); }
    return res;
  }
  const can = (...roles) => !!auth.me && auth.me.roles.some((r) => roles.includes(r));
  function showLogin(message) {
    forget();
    $('user').hidden = true;
    $('login').hidden = false;
    $('login-error').hidden = !message;
    $('login-error').textContent = message || '';
    $('login-login').focus();
  }
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('login-submit').disabled = true;
    try {
      const res = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: $('login-login').value.trim(), password: $('login-password').value }) });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) { $('login-error').hidden = false; $('login-error').textContent = body.message || 'Не удалось войти'; return; }
      keep(body);
      $('login-password').value = '';
      await start();
    } finally { $('login-submit').disabled = false; }
  });
  $('logout').addEventListener('click', async () => {
    await api('/api/v1/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: auth.refresh }) }).catch(() => {});
    items = []; selected = null; render(); $('detail').innerHTML = '';
    showLogin();
  });

  function query(extra) {
    const p = new URLSearchParams({ limit: '50' });
    for (const [k, id] of [['status','f-status'],['channel','f-channel'],['overdue','f-overdue']]) if ($(id).value) p.set(k, $(id).value);
    if (extra) p.set('cursor', extra);
    return '/api/v1/messages?' + p;
  }
  function due(m) {
    if (!m.dueAt) return '<span class="muted">—</span>';
    const left = new Date(m.dueAt) - Date.now();
    const cls = m.overdue || left < 0 ? 'overdue' : left < 4 * 3600e3 ? 'soon' : '';
    const hint = m.overdue || left < 0 ? 'просрочено' : left < 48 * 3600e3 ? 'через ' + Math.max(1, Math.round(left / 3600e3)) + ' ч' : 'через ' + Math.round(left / 864e5) + ' дн.';
    return '<span class="due ' + cls + '" title="' + esc(m.dueAt) + '">' + fmt.format(new Date(m.dueAt)) + '<br><small>' + hint + '</small></span>';
  }
  function row(m) {
    const fresh = !seen.has(m.id) && seen.size > 0 ? ' fresh' : '';
    seen.add(m.id);
    return '<tr class="row' + fresh + (m.id === selected ? ' selected' : '') + '" data-id="' + m.id + '">' +
      '<td>' + fmt.format(new Date(m.receivedAt)) + '</td>' +
      '<td><span class="chip">' + esc(m.channelTitle) + '</span>' + (m.importance === 'high' ? ' <span class="chip high">важно</span>' : '') + '</td>' +
      '<td>' + (m.category ? esc(m.category.name) : m.sourceCategory ? esc(m.sourceCategory) : '<span class="muted">не определена</span>') + '</td>' +
      '<td>' + (m.territory ? esc(m.territory.name) : '<span class="muted">—</span>') + '</td>' +
      '<td>' + (m.organization ? esc(m.organization.name) : '<span class="muted">не назначен</span>') + '</td>' +
      '<td>' + due(m) + '</td>' +
      '<td><span class="chip ' + esc(m.status) + '">' + esc(m.statusTitle) + '</span></td></tr>';
  }
  function render() {
    $('rows').innerHTML = items.length ? items.map(row).join('') : '<tr><td colspan="7" class="muted">Сообщений нет</td></tr>';
  }
  async function load(more) {
    try {
      const res = await api(query(more ? cursor : null));
      if (!res.ok) throw new Error((await res.json()).message || res.statusText);
      const page = await res.json();
      // A refresh shows the newest page again; "Показать ещё" appends older ones.
      items = more ? items.concat(page.items) : page.items;
      cursor = page.nextCursor;
      $('more').hidden = !cursor;
      render();
      $('error').hidden = true;
      $('updated').textContent = 'обновлено ' + new Date().toLocaleTimeString('ru-RU');
    } catch (e) { $('error').hidden = false; $('error').textContent = 'Не удалось загрузить сообщения: ' + e.message; }
  }
  async function counters() {
    try {
      const s = await (await api('/api/v1/stats')).json();
      const n = (k) => s.byStatus[k] || 0;
      const total = Object.values(s.byStatus).reduce((a, b) => a + b, 0);
      $('counters').innerHTML = 'Всего <b>' + total + '</b> · Назначено <b>' + n('assigned') + '</b> · Требует разбора <b>' + n('needs_triage') + '</b> · Ожидает обработки <b>' + n('new') + '</b>';
    } catch {}
  }
  const STATES = { pending: 'ещё не начался', running: 'идёт', paused: 'приостановлен', met: 'соблюдён', breached: 'нарушен', expired: 'окно закрыто', cancelled: 'не применяется' };
  /** Every clock of the message with its state, and how it was counted, for checking by hand. */
  function clocks(d) {
    if (!d || !d.clocks.length) return '';
    return '<h2>Сроки <span class="muted">(' + esc(d.policy.title) + ')</span></h2><table class="clocks"><tbody>' + d.clocks.map((c) =>
      '<tr><td>' + esc(c.title) + (c.generation > 1 ? ' <span class="muted">(' + c.generation + '-й цикл)</span>' : '') + '<br><small class="muted">' + esc(c.term.text) + '</small></td>' +
      '<td><span class="chip clock-' + esc(c.state) + '">' + esc(STATES[c.state] || c.state) + '</span></td>' +
      '<td>' + (c.dueAt ? fmt.format(new Date(c.dueAt)) : c.waitsForCalendarYear ? 'не рассчитан: нет календаря на ' + c.waitsForCalendarYear + ' г.' : c.state === 'pending' ? 'с события «' + esc(c.startReason) + '»' : '—') +
        (c.timeLeft ? '<br><small>осталось ' + esc(c.timeLeft.text) + '</small>' : '') + (c.lateness ? '<br><small class="error">просрочка ' + esc(c.lateness.text) + '</small>' : '') + '</td></tr>' +
      '<tr><td colspan="3"><details><summary>Как посчитано</summary><ul>' + c.explanation.lines.map((l) => '<li>' + esc(l) + '</li>').join('') + '</ul></details></td></tr>').join('') +
      '</tbody></table>';
  }
  async function show(id) {
    selected = id; render();
    const [m, d] = await Promise.all([
      api('/api/v1/messages/' + id).then((r) => r.json()),
      api('/api/v1/messages/' + id + '/deadlines').then((r) => (r.ok ? r.json() : null)).catch(() => null),
    ]);
    if (!m.id) { $('detail').innerHTML = '<p class="error">' + esc(m.message || 'Сообщение недоступно') + '</p>'; return; }
    $('detail').innerHTML = '<h2>' + esc(m.category ? m.category.name : 'Категория не определена') + '</h2>' +
      '<p class="muted">' + esc(m.channelTitle) + ' · ' + esc(m.source) + ' · № ' + esc(m.externalId) + '</p>' +
      (m.text ? '<div class="text">' + esc(m.text) + '</div>' : '<p class="muted">Строка выгрузки ПОС, текста нет.</p>') +
      '<p><b>Исполнитель:</b> ' + esc(m.organization ? m.organization.name : 'не назначен') + '<br><b>Территория:</b> ' + esc(m.territory ? m.territory.name : m.territoryRaw || '—') +
      '<br><b>Срок ответа:</b> ' + (m.dueAt ? fmt.format(new Date(m.dueAt)) + ' (МСК)' : '—') +
      (m.applicant ? '<br><b>Заявитель:</b> ' + [m.applicant.name, m.applicant.phone, m.applicant.email].filter(Boolean).map(esc).join(', ') + (m.applicant.masked ? ' <span class="muted">(персональные данные скрыты)</span>' : '') : '') + '</p>' +
      clocks(d) +
      (m.classification && m.classification.suggestions.length ? '<p><b>Подсказки классификатора</b>' + (m.classification.modelVersion ? ' <span class="muted">(модель v' + m.classification.modelVersion + (m.classification.threshold != null ? ', порог ' + Math.round(m.classification.threshold * 100) + '%' : '') + ')</span>' : '') + ':<br>' +
        m.classification.suggestions.map((s) => esc(s.code) + ' ' + Math.round(s.probability * 100) + '%' +
          (can('operator') && ['new', 'needs_triage', 'assigned'].includes(m.status) ? ' <button class="pick" data-code="' + esc(s.code) + '">Выбрать</button>' : '')).join('<br>') + '</p>' : '') +
      (can('operator') && ['new', 'needs_triage', 'assigned'].includes(m.status) ? '<p><label>Другая категория: <select id="pick-any"><option value="">—</option>' +
        CATEGORIES.filter((c) => c.rubricator === (m.channel === 'social' ? 'im' : 'pos')).map((c) => '<option value="' + esc(c.code) + '">' + esc(c.name) + '</option>').join('') +
        '</select></label> <button class="pick" id="pick-any-button">Назначить</button></p><p id="pick-error" class="error" hidden></p>' : '') +
      '<h2>История</h2><ol>' + m.history.map((h) => '<li>' + fmt.format(new Date(h.at)) + ' — ' + esc(h.type) + (h.toStatus ? ' → ' + esc(h.toStatus) : '') + ' <span class="muted">(' + esc(h.actor) + ')</span>' + (h.reason ? '<br><small>' + esc(h.reason) + '</small>' : '') + '</li>').join('') + '</ol>';
  }
  // A message has its own address (#/messages/<id>), so it can be linked and reopened.
  $('rows').addEventListener('click', (e) => { const tr = e.target.closest('tr.row'); if (tr) location.hash = '#/messages/' + tr.dataset.id; });
  const route = () => { const m = /^#[/]messages[/]([0-9a-f-]{36})$/.exec(location.hash); if (m && auth.me) show(m[1]).catch(() => {}); };
  window.addEventListener('hashchange', route);
  // An operator's choice of category: routes the message and teaches the classifier.
  $('detail').addEventListener('click', async (e) => {
    const button = e.target.closest('button.pick');
    if (!button || !selected) return;
    const code = button.id === 'pick-any-button' ? $('pick-any').value : button.dataset.code;
    if (!code) return;
    button.disabled = true;
    const res = await api('/api/v1/messages/' + selected + '/category', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ categoryCode: code }) });
    if (res.ok) { await show(selected); load(false); counters(); return; }
    const body = await res.json().catch(() => ({}));
    $('pick-error').hidden = false;
    $('pick-error').textContent = (body.message || res.statusText) + (body.errors ? ': ' + body.errors.map((x) => x.field + ' — ' + x.message).join('; ') : '');
    button.disabled = false;
  });
  for (const id of ['f-status', 'f-channel', 'f-overdue']) $(id).addEventListener('change', () => { items = []; cursor = null; load(false); });
  $('more').addEventListener('click', () => load(true));
  const tick = () => { if (!auth.me) return; if (!items.length || items.length <= 50) load(false); counters(); };
  async function start() {
    const res = await api('/api/v1/auth/me');
    auth.me = await res.json();
    $('login').hidden = true;
    $('user').hidden = false;
    $('user-name').textContent = auth.me.name + ' (' + auth.me.roleTitles.join(', ') + ')';
    $('user-org').textContent = auth.me.organization ? auth.me.organization.name : '';
    tick();
    route();
  }
  if (auth.refresh) start().catch(() => showLogin()); else showLogin();
  setInterval(tick, 3000);
})();
</script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

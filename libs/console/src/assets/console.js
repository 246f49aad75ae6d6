// The ЦУР console: one page, no build step. Every list is paged and filtered by the server, which
// also decides what the signed-in user may see; the page only hides what a role cannot do.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const ZONE = 'Europe/Moscow';
  const fmt = new Intl.DateTimeFormat('ru-RU', { timeZone: ZONE, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
  const fmtDay = new Intl.DateTimeFormat('ru-RU', { timeZone: ZONE, day: '2-digit', month: '2-digit' });
  const OPEN = [
    'new',
    'needs_triage',
    'moderation',
    'assigned',
    'in_progress',
    'awaiting_applicant',
    'interim_answer',
    'postponed',
    'redirected',
    'answer_draft',
    'approval',
    'reopened',
  ];
  const STATES = {
    pending: 'ещё не начался',
    running: 'идёт',
    paused: 'приостановлен',
    met: 'соблюдён',
    breached: 'нарушен',
    expired: 'окно закрыто',
    cancelled: 'не применяется',
  };
  const EVENT_TITLES = {
    received: 'Поступило',
    triaged: 'Разобрано автоматически',
    categorized: 'Категория выбрана оператором',
    taken: 'Взято в работу',
    'executor-assigned': 'Назначен исполнитель',
    'clarification-requested': 'Запрошены уточнения',
    'clarification-received': 'Получены уточнения',
    'interim-answer': 'Промежуточный ответ',
    'answer-drafted': 'Проект ответа на согласовании',
    'answer-returned': 'Проект ответа возвращён',
    answered: 'Ответ отправлен',
    rated: 'Оценка заявителя',
    reopened: 'Повторное рассмотрение',
    rejected: 'Отклонено',
    redirected: 'Перенаправлено',
    'extension-requested': 'Запрошено продление',
    'extension-approved': 'Продление утверждено',
    'extension-rejected': 'Продление отклонено',
    overdue: 'Срок нарушен',
    'importance-changed': 'Изменена важность',
    merged: 'Объединено как дубль',
    'duplicate-attached': 'Присоединён дубль',
    'moderation-accepted': 'Прошло модерацию',
  };

  // ---- sign-in: the access token in memory only; the refresh token is an httpOnly cookie this page never sees ----
  // So a new tab (a message link opened aside) gets its own access token from the cookie, without signing in.
  const auth = { access: null, me: null };
  sessionStorage.removeItem('cur.refresh'); // where earlier versions kept the refresh token
  let renewing = null;
  function keep(tokens) {
    auth.access = tokens.accessToken;
  }
  function forget() {
    auth.access = null;
    auth.me = null;
  }
  /** A new access token for the cookie; false when there is no session (signed out here or in another tab). */
  function renew() {
    renewing =
      renewing ||
      fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin', headers: { 'X-Requested-With': 'cur-console' } })
        .then(async (res) => {
          if (!res.ok) {
            forget();
            return false;
          }
          keep(await res.json());
          return true;
        })
        .catch(() => false)
        .finally(() => {
          renewing = null;
        });
    return renewing;
  }
  /** fetch with the access token; renews it once on 401 and asks to sign in when that fails. */
  async function api(path, options) {
    options = options || {};
    if (!auth.access && !(await renew())) {
      showLogin();
      throw new Error('Требуется вход');
    }
    const call = () =>
      fetch(path, Object.assign({}, options, { headers: Object.assign({}, options.headers || {}, { Authorization: 'Bearer ' + auth.access }) }));
    let res = await call();
    if (res.status === 401 && (await renew())) res = await call();
    if (res.status === 401) {
      showLogin();
      throw new Error('Требуется вход');
    }
    return res;
  }
  async function getJson(path) {
    const res = await api(path);
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || res.statusText);
    return body;
  }
  /** POST a JSON body; resolves to { ok, body }, the body carrying the server's message and field errors. */
  async function post(path, body) {
    const res = await api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
    return { ok: res.ok, status: res.status, body: await res.json().catch(() => ({})) };
  }
  const problem = (body) =>
    (body.message || 'Ошибка') + (body.errors && body.errors.length ? ': ' + body.errors.map((e) => e.field + ' — ' + e.message).join('; ') : '');
  const can = (...roles) => !!auth.me && auth.me.roles.some((r) => roles.includes(r));

  function showLogin(message) {
    forget();
    $('user').hidden = true;
    $('main').hidden = true;
    $('filters').hidden = true;
    $('tabs').innerHTML = '';
    $('login').hidden = false;
    $('login-error').hidden = !message;
    $('login-error').textContent = message || '';
    $('login-login').focus();
  }
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('login-submit').disabled = true;
    try {
      const res = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: $('login-login').value.trim(), password: $('login-password').value }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        $('login-error').hidden = false;
        $('login-error').textContent = body.message || 'Не удалось войти';
        return;
      }
      keep(body);
      $('login-password').value = '';
      await start();
    } finally {
      $('login-submit').disabled = false;
    }
  });
  $('logout').addEventListener('click', async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => {});
    state.items = [];
    state.selected = null;
    $('detail').innerHTML = '';
    $('notices').innerHTML = '';
    history.replaceState(null, '', '/');
    showLogin();
  });

  // ---- views by role ----
  const VIEWS = {
    queue: { title: 'Очередь разбора', roles: ['operator'], list: { status: 'needs_triage,moderation' } },
    inbox: { title: 'Входящие', roles: ['executor', 'head'], list: { status: OPEN.join(',') } },
    all: { title: 'Все сообщения', roles: ['operator', 'supervisor'], list: {} },
    control: { title: 'Контроль сроков', roles: ['supervisor', 'operator', 'head'] },
    monitoring: { title: 'Мониторинг', roles: ['supervisor', 'head'] },
    reports: { title: 'Сводки', roles: ['supervisor', 'head'] },
    users: { title: 'Пользователи', roles: ['admin'] },
    organizer: { title: 'Обсуждения', roles: ['organizer'] },
  };
  const state = { view: null, items: [], cursor: null, selected: null, index: -1, catalog: null, message: null };

  function tabs() {
    const mine = Object.entries(VIEWS).filter(([, v]) => can(...v.roles));
    $('tabs').innerHTML = mine
      .map(([k, v]) => '<button role="tab" data-view="' + k + '" aria-selected="' + (k === state.view) + '">' + esc(v.title) + '</button>')
      .join('');
    return mine.map(([k]) => k);
  }
  $('tabs').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-view]');
    if (b) go(b.dataset.view);
  });
  function go(view) {
    state.view = view;
    tabs();
    const listView = !!VIEWS[view].list;
    $('filters').hidden = !listView;
    $('list-view').hidden = !listView;
    $('control-view').hidden = view !== 'control';
    $('monitoring-view').hidden = view !== 'monitoring';
    $('reports-view').hidden = view !== 'reports';
    $('users-view').hidden = view !== 'users';
    $('organizer-view').hidden = view !== 'organizer';
    $('detail').hidden = view === 'users' || view === 'organizer';
    $('f-mine-label').hidden = view !== 'inbox';
    if (listView) {
      state.items = [];
      state.cursor = null;
      load(false);
    }
    if (view === 'control') control();
    if (view === 'monitoring') monitoring();
    if (view === 'reports') summariesView();
    if (view === 'users') users();
  }

  // ---- lists ----
  function query(cursor) {
    const p = new URLSearchParams(Object.assign({ limit: '50' }, VIEWS[state.view].list));
    const pick = {
      channel: 'f-channel',
      categoryCode: 'f-category',
      territoryId: 'f-territory',
      importance: 'f-importance',
      overdue: 'f-overdue',
      sort: 'f-sort',
    };
    for (const k in pick) if ($(pick[k]).value) p.set(k, $(pick[k]).value);
    if (state.view === 'inbox' && $('f-mine').checked) p.set('assignee', 'me');
    if (cursor) p.set('cursor', cursor);
    return '/api/v1/messages?' + p;
  }
  function left(m) {
    if (!m.dueAt) return '<span class="muted">—</span>';
    const ms = new Date(m.dueAt) - Date.now();
    const late = m.overdue || ms < 0;
    const text = late
      ? 'просрочено'
      : ms < 3600e3
        ? Math.max(1, Math.round(ms / 60e3)) + ' мин'
        : ms < 48 * 3600e3
          ? Math.round(ms / 3600e3) + ' ч'
          : Math.round(ms / 864e5) + ' дн.';
    return (
      '<span class="left ' +
      (late ? 'overdue' : ms < 4 * 3600e3 ? 'soon' : '') +
      '" title="срок ' +
      esc(fmt.format(new Date(m.dueAt))) +
      ' МСК">' +
      text +
      '</span>'
    );
  }
  function row(m, i) {
    return (
      '<tr class="row' +
      (i === state.index ? ' selected' : '') +
      '" data-id="' +
      esc(m.id) +
      '" data-index="' +
      i +
      '">' +
      '<td>' +
      left(m) +
      '</td>' +
      '<td>' +
      fmt.format(new Date(m.receivedAt)) +
      '</td>' +
      '<td><span class="chip">' +
      esc(m.channelTitle) +
      '</span>' +
      (m.importance === 'high' ? ' <span class="chip high">важно</span>' : '') +
      '</td>' +
      '<td>' +
      (m.category ? esc(m.category.name) : m.sourceCategory ? esc(m.sourceCategory) : '<span class="muted">не определена</span>') +
      '</td>' +
      '<td>' +
      (m.territory ? esc(m.territory.name) : '<span class="muted">—</span>') +
      '</td>' +
      '<td>' +
      (m.organization ? esc(m.organization.name) : '<span class="muted">ЦУР</span>') +
      (m.assignee ? '<br><small class="muted">' + esc(m.assignee) + '</small>' : '') +
      '</td>' +
      '<td><span class="chip ' +
      esc(m.status) +
      '">' +
      esc(m.statusTitle) +
      '</span></td></tr>'
    );
  }
  function render() {
    $('rows').innerHTML = state.items.length ? state.items.map(row).join('') : '<tr><td colspan="7" class="muted">Сообщений нет</td></tr>';
  }
  async function load(more) {
    try {
      const page = await getJson(query(more ? state.cursor : null));
      state.items = more ? state.items.concat(page.items) : page.items;
      state.cursor = page.nextCursor;
      if (state.selected) state.index = state.items.findIndex((m) => m.id === state.selected);
      $('more').hidden = !state.cursor;
      render();
      $('error').hidden = true;
      counters();
    } catch (e) {
      $('error').hidden = false;
      $('error').textContent = 'Не удалось загрузить сообщения: ' + e.message;
    }
  }
  async function counters() {
    try {
      const s = await getJson('/api/v1/stats');
      const n = (k) => s.byStatus[k] || 0;
      $('counters').textContent =
        'Требует разбора: ' +
        n('needs_triage') +
        ' · Модерация: ' +
        n('moderation') +
        ' · Назначено: ' +
        n('assigned') +
        ' · В работе: ' +
        n('in_progress') +
        ' · На согласовании: ' +
        n('approval');
    } catch (e) {
      /* counters are a convenience */
    }
  }
  for (const id of ['f-channel', 'f-category', 'f-territory', 'f-importance', 'f-overdue', 'f-sort', 'f-mine'])
    $(id).addEventListener('change', () => load(false));
  $('more').addEventListener('click', () => load(true));
  $('rows').addEventListener('click', (e) => {
    const tr = e.target.closest('tr.row');
    if (tr) open(tr.dataset.id);
  });

  // ---- one message ----
  /**
   * Opens a message by its address. The card already showing it stays as it is: reloading it would
   * wipe what the user has started typing or choosing in its action form.
   */
  function open(id) {
    if (location.hash !== '#/messages/' + id) location.hash = '#/messages/' + id;
    else if (!(state.message && state.message.id === id)) show(id);
  }
  function route() {
    const m = /^#[/]messages[/]([0-9a-f-]{36})$/.exec(location.hash);
    if (m && auth.me) show(m[1]);
  }
  window.addEventListener('hashchange', route);

  /** Opens a message in the card. Only the latest request renders: a slow answer for an earlier pick never replaces a later one. */
  async function show(id) {
    const seq = (state.seq = (state.seq || 0) + 1);
    state.selected = id;
    state.index = state.items.findIndex((m) => m.id === id);
    render();
    const res = await api('/api/v1/messages/' + id);
    const m = await res.json().catch(() => ({}));
    if (seq !== state.seq) return;
    if (!res.ok) {
      state.message = null;
      $('detail').innerHTML = '<p class="error">' + esc(m.message || 'Сообщение недоступно') + '</p>';
      return;
    }
    const [d, ext] = await Promise.all([
      api('/api/v1/messages/' + id + '/deadlines')
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null),
      api('/api/v1/messages/' + id + '/extensions')
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null),
    ]);
    const pdLog = can('supervisor') ? await getJson('/api/v1/messages/' + id + '/personal-data-access').catch(() => null) : null;
    if (seq !== state.seq) return;
    state.message = m;
    $('detail').innerHTML =
      '<h2>' +
      esc(m.category ? m.category.name : 'Категория не определена') +
      ' <span class="chip ' +
      esc(m.status) +
      '">' +
      esc(m.statusTitle) +
      '</span></h2>' +
      '<p class="muted">' +
      esc(m.channelTitle) +
      ' · ' +
      esc(m.source) +
      ' · № ' +
      esc(m.externalId) +
      ' · поступило ' +
      fmt.format(new Date(m.receivedAt)) +
      '</p>' +
      (m.text ? '<div class="text">' + esc(m.text) + '</div>' : '<p class="muted">Строка выгрузки ПОС, текста нет.</p>') +
      '<p><b>Исполнитель:</b> ' +
      esc(m.organization ? m.organization.name : 'ЦУР (не назначен)') +
      (m.assignee ? ' · ' + esc(m.assignee) : '') +
      '<br><b>Территория:</b> ' +
      esc(m.territory ? m.territory.name : m.territoryRaw || '—') +
      '<br><b>Срок ответа:</b> ' +
      (m.dueAt ? fmt.format(new Date(m.dueAt)) + ' (МСК) · ' + left(m) : '—') +
      (m.importance === 'high' ? '<br><b>Важность:</b> высокая' : '') +
      (m.rating ? '<br><b>Оценка заявителя:</b> ' + m.rating + ' из 5' : '') +
      (m.duplicateOf
        ? '<br><b>Дубль сообщения</b> <a class="link" href="#/messages/' + esc(m.duplicateOf) + '">' + esc(m.duplicateOf.slice(0, 8)) + '</a>'
        : '') +
      (m.applicant
        ? '<br><b>Заявитель:</b> ' +
          [m.applicant.name, m.applicant.phone, m.applicant.email].filter(Boolean).map(esc).join(', ') +
          (m.applicant.masked ? ' <span class="muted">(персональные данные скрыты)</span>' : '')
        : '') +
      '</p>' +
      actions(m, ext) +
      clocks(d) +
      audit(m) +
      (pdLog
        ? '<h3>Доступ к персональным данным</h3>' +
          (pdLog.items.length
            ? '<table class="history"><tbody>' +
              pdLog.items
                .map(
                  (r) =>
                    '<tr><td>' +
                    fmt.format(new Date(r.at)) +
                    '</td><td>' +
                    esc(r.actor) +
                    (r.organization ? ' <span class="muted">(' + esc(r.organization.name) + ')</span>' : '') +
                    '<br><small class="muted">' +
                    esc(r.fields.join(', ')) +
                    '</small></td></tr>',
                )
                .join('') +
              '</tbody></table>'
            : '<p class="muted">Никто не открывал.</p>')
        : '');
    wire(m, ext);
  }

  /** The action form: only what the server says this user may do with this message now (`actions` of the message). */
  function actions(m, ext) {
    const parts = [];
    const may = (name) => (m.actions || []).some((a) => a.action === name);
    const button = (act, label, cls, needs) =>
      '<button class="act' + (cls ? ' ' + cls : '') + '" data-act="' + act + '"' + (needs ? ' data-needs="' + needs + '"' : '') + '>' + label + '</button>';
    if (may('categorize')) {
      const rubricator = m.channel === 'social' ? 'im' : 'pos';
      const suggestions = (m.classification && m.classification.suggestions) || [];
      parts.push(
        '<div class="row">' +
          suggestions
            .map(
              (s) =>
                '<button class="act" data-act="category" data-code="' +
                esc(s.code) +
                '">' +
                esc(name(s.code)) +
                ' ' +
                Math.round(s.probability * 100) +
                '%</button>',
            )
            .join('') +
          '</div>',
      );
      parts.push(
        '<div class="row"><label>Категория <select id="a-category"><option value="">—</option>' +
          state.catalog.categories
            .filter((c) => c.rubricator === rubricator)
            .map((c) => '<option value="' + esc(c.code) + '">' + esc(c.name) + '</option>')
            .join('') +
          '</select></label>' +
          '<label>Организация <select id="a-organization"><option value="">по правилу</option>' +
          orgOptions() +
          '</select></label> <button class="act primary" data-act="category">Назначить</button></div>',
      );
    }
    const operatorRow = [];
    if (may('accept-moderation')) operatorRow.push(button('moderation-acceptance', 'Принять (модерация)'));
    if (may('reject')) operatorRow.push(button('rejection', 'Отклонить', 'danger', 'reason'));
    if (may('set-importance')) operatorRow.push(button('importance', m.importance === 'high' ? 'Снять высокую важность' : 'Высокая важность'));
    if (may('merge'))
      operatorRow.push(
        '<label>Дубль сообщения <input id="a-target" placeholder="id основного сообщения" size="14"></label>' + button('merge', 'Объединить', '', 'reason'),
      );
    if (may('reconsider')) operatorRow.push(button('reconsideration', 'Повторное рассмотрение', '', 'reason'));
    if (operatorRow.length) parts.push('<div class="row">' + operatorRow.join('') + '</div>');
    const work = [];
    if (may('take')) work.push(button('take', 'Взять в работу', 'primary'));
    if (may('interim-answer')) work.push(button('interim-answer', 'Промежуточный ответ', '', 'text'));
    if (may('ask-applicant')) work.push(button('clarification-request', 'Запросить уточнения', '', 'reason'));
    if (may('applicant-answered')) work.push(button('clarification-received', 'Уточнения получены'));
    if (may('answer')) work.push(button('answer', 'Отправить ответ', 'primary', 'text'));
    if (may('draft-answer')) work.push(button('answer-draft', 'На согласование', may('answer') ? '' : 'primary', 'text'));
    if (work.length) parts.push('<div class="row">' + work.join('') + '</div>');
    if (may('request-extension'))
      parts.push(
        '<div class="row"><label>Продлить на <input type="number" id="a-amount" min="1" max="365" value="10" style="width:70px"></label>' +
          button('extensions', 'Запросить продление', '', 'reason') +
          '</div>',
      );
    if (may('redirect'))
      parts.push(
        '<div class="row"><label>Перенаправить <select id="a-redirect-org">' +
          orgOptions() +
          '</select></label><select id="a-direction"><option value="down">подведомственной</option><option value="up">вышестоящей</option><option value="competence">по компетенции</option></select>' +
          button('redirect', 'Перенаправить', '', 'reason') +
          '</div>',
      );
    if (may('assign'))
      parts.push(
        '<div class="row"><label>Исполнитель <select id="a-assignee"><option value="">—</option></select></label>' +
          button('assignment', 'Назначить') +
          '</div>',
      );
    if (may('approve-answer')) {
      const draft = [...m.history].reverse().find((h) => h.type === 'answer-drafted');
      parts.push(
        '<div><b>Проект ответа</b> <span class="muted">(' +
          esc(draft ? draft.actor : '') +
          ')</span><div class="text">' +
          esc(draft && draft.data ? draft.data.text : '') +
          '</div></div>',
      );
      parts.push(
        '<div class="row">' +
          button('answer-approval', 'Согласовать и отправить', 'primary') +
          (may('return-answer') ? button('answer-return', 'Вернуть на доработку', '', 'reason') : '') +
          '</div>',
      );
    }
    const pending = ext && ext.items.find((x) => x.status === 'pending');
    if (pending && may('decide-extension')) {
      parts.push(
        '<div class="row">Запрос продления на ' +
          esc(pending.term.text) +
          ' (' +
          esc(pending.requestedBy) +
          '): «' +
          esc(pending.reason) +
          '» <button class="act" data-act="extension-approval" data-request="' +
          esc(pending.id) +
          '">Утвердить</button><button class="act" data-act="extension-rejection" data-request="' +
          esc(pending.id) +
          '" data-needs="reason">Отклонить</button></div>',
      );
    }
    if (!parts.length) return '';
    return (
      '<h3>Действия</h3><div class="actions"><textarea id="a-text" placeholder="Текст ответа или причина (обязательна, где действие её требует)"></textarea>' +
      parts.join('') +
      '<p id="a-result" role="status"></p></div>'
    );
  }
  const name = (code) => {
    const c = state.catalog.categories.find((x) => x.code === code);
    return c ? c.name : code;
  };
  const orgName = (id) => {
    const o = id && state.catalog.organizations.find((x) => x.id === id);
    return o ? o.name : id || '—';
  };
  const orgOptions = () => state.catalog.organizations.map((o) => '<option value="' + esc(o.id) + '">' + esc(o.name) + '</option>').join('');

  async function wire(m, ext) {
    const assignee = $('a-assignee');
    if (assignee) {
      const staff = await getJson('/api/v1/staff').catch(() => ({ items: [] }));
      assignee.innerHTML =
        '<option value="">—</option>' +
        staff.items
          .map(
            (u) =>
              '<option value="' + esc(u.login) + '"' + (u.login === m.assignee ? ' selected' : '') + '>' + esc(u.name) + ' (' + esc(u.login) + ')</option>',
          )
          .join('');
    }
  }

  $('detail').addEventListener('click', async (e) => {
    const b = e.target.closest('button.act');
    if (!b || !state.message) return;
    const m = state.message;
    const text = ($('a-text') && $('a-text').value.trim()) || '';
    const needs = b.dataset.needs;
    const result = $('a-result');
    if (needs && !text) {
      result.className = 'error';
      result.textContent = needs === 'text' ? 'Введите текст' : 'Укажите причину';
      $('a-text').focus();
      return;
    }
    const base = '/api/v1/messages/' + m.id + '/';
    const act = b.dataset.act;
    let call;
    if (act === 'category') {
      const code = b.dataset.code || $('a-category').value;
      if (!code) {
        result.className = 'error';
        result.textContent = 'Выберите категорию';
        return;
      }
      call = post(
        base + 'category',
        Object.assign(
          { categoryCode: code },
          $('a-organization') && $('a-organization').value ? { organizationId: $('a-organization').value } : {},
          text ? { reason: text } : {},
        ),
      );
    } else if (act === 'importance')
      call = post(base + 'importance', { importance: m.importance === 'high' ? 'normal' : 'high', reason: text || 'Изменено оператором' });
    else if (act === 'merge') call = post(base + 'merge', { targetId: $('a-target').value.trim(), reason: text });
    else if (act === 'extensions') call = post(base + 'extensions', { amount: Number($('a-amount').value), reason: text });
    else if (act === 'redirect') call = post(base + 'redirect', { organizationId: $('a-redirect-org').value, direction: $('a-direction').value, reason: text });
    else if (act === 'assignment') call = post(base + 'assignment', { login: $('a-assignee').value || null });
    else if (act === 'extension-approval') call = post(base + 'extensions/' + b.dataset.request + '/approval', text ? { reason: text } : {});
    else if (act === 'extension-rejection') call = post(base + 'extensions/' + b.dataset.request + '/rejection', { reason: text });
    else if (needs === 'text') call = post(base + act, { text });
    else if (needs === 'reason') call = post(base + act, { reason: text });
    else call = post(base + act, text ? { reason: text } : {});
    b.disabled = true;
    const res = await call;
    b.disabled = false;
    if (!res.ok) {
      result.className = 'error';
      result.textContent = problem(res.body);
      return;
    }
    await show(m.id);
    const after = $('a-result');
    if (after) {
      after.className = 'ok';
      after.textContent = 'Готово: ' + (b.textContent || act);
    }
    if (VIEWS[state.view] && VIEWS[state.view].list) load(false);
  });

  function clocks(d) {
    if (!d || !d.clocks.length) return '';
    return (
      '<h3>Сроки <span class="muted">(' +
      esc(d.policy.title) +
      ')</span></h3><table class="clocks"><tbody>' +
      d.clocks
        .map(
          (c) =>
            '<tr><td>' +
            esc(c.title) +
            (c.generation > 1 ? ' <span class="muted">(' + c.generation + '-й цикл)</span>' : '') +
            '<br><small class="muted">' +
            esc(c.term.text) +
            '</small></td>' +
            '<td><span class="chip clock-' +
            esc(c.state) +
            '">' +
            esc(STATES[c.state] || c.state) +
            '</span></td>' +
            '<td>' +
            (c.dueAt
              ? fmt.format(new Date(c.dueAt))
              : c.waitsForCalendarYear
                ? 'не рассчитан: нет календаря на ' + c.waitsForCalendarYear + ' г.'
                : c.state === 'pending'
                  ? 'с события «' + esc(c.startReason) + '»'
                  : '—') +
            (c.timeLeft ? '<br><small>осталось ' + esc(c.timeLeft.text) + '</small>' : '') +
            (c.lateness ? '<br><small class="error">просрочка ' + esc(c.lateness.text) + '</small>' : '') +
            '</td></tr>' +
            '<tr><td colspan="3"><details><summary>Как посчитано</summary><ul>' +
            c.explanation.lines.map((l) => '<li>' + esc(l) + '</li>').join('') +
            '</ul></details></td></tr>',
        )
        .join('') +
      '</tbody></table>'
    );
  }

  /** The audit trail: who, when, what, from → to, why, and what changed. */
  function audit(m) {
    return (
      '<h3>История</h3><table class="history"><tbody>' +
      m.history
        .map((h) => {
          const changes = diff(h.data);
          return (
            '<tr><td>' +
            fmt.format(new Date(h.at)) +
            '</td><td><b>' +
            esc(EVENT_TITLES[h.type] || h.type) +
            '</b>' +
            (h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus
              ? ' <span class="muted">' + esc(h.fromStatus) + ' → ' + esc(h.toStatus) + '</span>'
              : '') +
            '<br><small class="muted">' +
            esc(h.actor) +
            '</small>' +
            (h.reason ? '<br><small>' + esc(h.reason) + '</small>' : '') +
            (changes ? '<div class="diff">' + changes + '</div>' : '') +
            (h.data && h.data.text ? '<details><summary>Текст</summary><div class="text">' + esc(h.data.text) + '</div></details>' : '') +
            '</td></tr>'
          );
        })
        .join('') +
      '</tbody></table>'
    );
  }
  function diff(data) {
    if (!data) return '';
    const out = [];
    const show = (v) => (v === null || v === undefined ? '—' : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? fmt.format(new Date(v)) : String(v));
    if (data.before && data.after)
      for (const k of Object.keys(data.after))
        if (JSON.stringify(data.before[k]) !== JSON.stringify(data.after[k]))
          out.push(esc(k) + ': ' + esc(show(data.before[k])) + ' → ' + esc(show(data.after[k])));
    if ('previousCategoryCode' in data && data.previousCategoryCode !== data.categoryCode)
      out.push('категория: ' + esc(data.previousCategoryCode ? name(data.previousCategoryCode) : '—') + ' → ' + esc(name(data.categoryCode)));
    if ('previousOrganizationId' in data && data.previousOrganizationId !== data.organizationId)
      out.push('организация: ' + esc(orgName(data.previousOrganizationId)) + ' → ' + esc(orgName(data.organizationId)));
    if (data.assignee && typeof data.assignee === 'object')
      out.push('исполнитель: ' + esc(show(data.assignee.before)) + ' → ' + esc(show(data.assignee.after)));
    return out.join('<br>');
  }

  // ---- supervision ----
  async function control() {
    const view = $('control-view');
    disposeCharts(view);
    view.innerHTML = '<p class="muted">Загрузка…</p>';
    try {
      const [s, risk, breaches] = await Promise.all([
        getJson('/api/v1/sla/summary'),
        getJson('/api/v1/sla/at-risk?limit=20'),
        getJson('/api/v1/sla/breaches?limit=20'),
      ]);
      const pct = (x) => (x === null || x === undefined ? '—' : Math.round(x * 100) + '%');
      view.innerHTML =
        '<div class="cards">' +
        card('В срок', pct(s.answers.onTimeShare), s.answers.met + ' из ' + (s.answers.met + s.answers.late) + ' ответов', 'on-time') +
        card('Просрочено сейчас', s.overdueNow, 'ответ не дан, срок прошёл', 'overdue-now') +
        card('Под угрозой', s.atRisk, 'пройдено 75% срока и больше', 'at-risk') +
        card('Нарушено', s.answers.late, 'ответы с опозданием за период', 'late') +
        '</div>' +
        '<div class="chart"><b>Доля ответов в срок по неделям</b> <span class="muted">(' +
        esc(s.period.from.slice(0, 10)) +
        ' — ' +
        esc(s.period.to.slice(0, 10)) +
        ')</span>' +
        (s.weekly.length
          ? '<div class="echart" id="control-weekly" role="img" aria-label="Доля ответов в срок по неделям"></div>'
          : '<p class="muted">За период ответов не было.</p>') +
        '</div>' +
        '<table class="plain"><thead><tr><th>Организация</th><th>В срок</th><th></th><th>Ответов</th><th>С опозданием</th><th>Просрочено сейчас</th><th>Под угрозой</th></tr></thead><tbody>' +
        s.byOrganization
          .map(
            (o) =>
              '<tr><td>' +
              esc(o.organization.name) +
              '</td><td>' +
              pct(o.onTimeShare) +
              '</td><td><div class="bar"><span style="width:' +
              Math.round((o.onTimeShare || 0) * 100) +
              '%"></span></div></td><td>' +
              (o.met + o.late) +
              '</td><td>' +
              o.late +
              '</td><td>' +
              o.overdueNow +
              '</td><td>' +
              o.atRisk +
              '</td></tr>',
          )
          .join('') +
        '</tbody></table>' +
        '<h3>Под угрозой срыва</h3><table class="plain"><tbody>' +
        (risk.items
          .map(
            (r) =>
              '<tr><td><a class="link" href="#/messages/' +
              esc(r.messageId) +
              '">' +
              esc(r.messageId.slice(0, 8)) +
              '</a></td><td>' +
              esc(r.title) +
              '</td><td>' +
              esc(r.organization ? r.organization.name : 'ЦУР') +
              '</td><td>до ' +
              fmt.format(new Date(r.dueAt)) +
              '</td><td>осталось ' +
              esc(r.timeLeft ? r.timeLeft.text : '') +
              '</td></tr>',
          )
          .join('') || '<tr><td class="muted">нет</td></tr>') +
        '</tbody></table>' +
        '<h3>Нарушения</h3><table class="plain"><tbody>' +
        (breaches.items
          .map(
            (b) =>
              '<tr><td><a class="link" href="#/messages/' +
              esc(b.messageId) +
              '">' +
              esc(b.messageId.slice(0, 8)) +
              '</a></td><td>' +
              esc(b.title || b.kind) +
              '</td><td>' +
              esc(b.organization ? b.organization.name : 'ЦУР') +
              '</td><td>срок ' +
              fmt.format(new Date(b.dueAt)) +
              '</td><td class="error">' +
              esc(b.lateness ? b.lateness.text : '') +
              '</td></tr>',
          )
          .join('') || '<tr><td class="muted">нет</td></tr>') +
        '</tbody></table>';
      if (s.weekly.length)
        weeklyChart(
          $('control-weekly'),
          s.weekly.map((x) => ({ weekStart: x.weekStart, answered: x.met + x.late, answeredOnTime: x.met })),
        ).catch(chartFailed);
    } catch (e) {
      view.innerHTML = '<p class="error">Не удалось загрузить сводку: ' + esc(e.message) + '</p>';
    }
  }
  function card(label, figure, note, id) {
    return (
      '<div class="card" data-figure="' +
      id +
      '"><div class="label">' +
      esc(label) +
      '</div><div class="figure">' +
      esc(figure) +
      '</div><div class="muted">' +
      esc(note) +
      '</div></div>'
    );
  }
  // ---- charts: Apache ECharts, served by this service and loaded on first use ----
  let echartsLoading = null;
  function echartsLib() {
    if (window.echarts) return Promise.resolve(window.echarts);
    echartsLoading =
      echartsLoading ||
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/console/echarts.min.js';
        script.onload = () => resolve(window.echarts);
        script.onerror = () => {
          echartsLoading = null;
          script.remove();
          reject(new Error('не загрузилась библиотека графиков'));
        };
        document.head.appendChild(script);
      });
    return echartsLoading;
  }
  const COLORS = { pos: '#2457c5', social: '#8e44ad', appeals: '#b26a00', ok: '#2e7d32', late: '#c62828', share: '#1d2330', previous: '#b8c2d3' };
  const SECTION_NAMES = { pos: 'ПОС', social: 'Соцсети', appeals: '59-ФЗ' };
  const SECTION_TITLES = { pos: 'Сообщения ПОС', social: 'Публичные сообщения (соцсети)', appeals: 'Обращения (59-ФЗ)' };
  /** Draws an ECharts option into its container, replacing the chart it had; `onClick` gets the clicked item. */
  async function draw(el, option, onClick) {
    const echarts = await echartsLib();
    if (!el || !el.isConnected) return null;
    const old = echarts.getInstanceByDom(el);
    if (old) old.dispose();
    const chart = echarts.init(el, null, { renderer: 'svg' });
    for (const series of option.series || []) if (series.type === 'bar') series.barMaxWidth = series.barMaxWidth || 40;
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' } }, option));
    if (onClick) chart.on('click', onClick);
    return chart;
  }
  /** Charts live as long as their containers: free them before the view's HTML is replaced. */
  function disposeCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll('.echart').forEach((el) => {
      const chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    });
  }
  window.addEventListener('resize', () => {
    if (!window.echarts) return;
    document.querySelectorAll('.echart').forEach((el) => {
      const chart = window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
  function chartFailed(e) {
    $('error').hidden = false;
    $('error').textContent = 'Графики недоступны: ' + e.message;
  }
  /** Answers per week, on time and late stacked, with the on-time share as a line; `onClick(week, figure)` for a bar. */
  function weeklyChart(el, weeks, onClick) {
    const share = (w) => (w.answered ? Math.round((w.answeredOnTime / w.answered) * 100) : null);
    return draw(
      el,
      {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 40, right: 48, top: 44, bottom: 24 },
        xAxis: { type: 'category', data: weeks.map((w) => 'с ' + fmtDay.format(new Date(w.weekStart + 'T12:00:00Z'))) },
        yAxis: [
          { type: 'value', minInterval: 1 },
          { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
        ],
        series: [
          { name: 'в срок', type: 'bar', stack: 'answers', color: COLORS.ok, data: weeks.map((w) => w.answeredOnTime) },
          { name: 'с опозданием', type: 'bar', stack: 'answers', color: COLORS.late, data: weeks.map((w) => w.answered - w.answeredOnTime) },
          {
            name: 'доля в срок, %',
            type: 'line',
            yAxisIndex: 1,
            color: COLORS.share,
            data: weeks.map(share),
            label: { show: true, formatter: '{c}%', fontSize: 11 },
          },
        ],
      },
      onClick && ((p) => p.seriesType === 'bar' && onClick(weeks[p.dataIndex], p.seriesIndex === 0 ? 'answeredOnTime' : 'answeredLate')),
    );
  }

  // ---- monitoring (order No. 733, item 1.4): a month's figures; each opens the list of the messages it counts ----
  const monitor = { login: null, month: '', org: '', data: null, seq: 0 };
  const FIGURE_TITLES = {
    received: 'поступило',
    answered: 'отвечено',
    answeredOnTime: 'отвечено в срок',
    answeredLate: 'отвечено с опозданием',
    openOverdue: 'просрочено, без ответа',
    openNotDue: 'без ответа, срок не истёк',
    openNoDueDate: 'без ответа и без срока',
  };
  const CARDS = [
    ['received', 'Поступило', (t) => t.received, () => 'за месяц'],
    ['answered', 'Отвечено', (t) => t.answered, (t) => 'в срок ' + t.answeredOnTime + ', с опозданием ' + t.answeredLate],
    [
      'answeredOnTime',
      'В срок',
      (t) => (t.answered ? Math.round((t.answeredOnTime / t.answered) * 100) + '%' : '—'),
      (t) => t.answeredOnTime + ' из ' + t.answered + ' ответов',
    ],
    ['openOverdue', 'Просрочено', (t) => t.openOverdue, () => 'без ответа на конец месяца'],
    ['openNoDueDate', 'Без срока', (t) => t.openNoDueDate, () => 'без ответа, срок не определён'],
  ];

  function monitoring() {
    if (monitor.login !== auth.me.login) {
      Object.assign(monitor, { login: auth.me.login, month: '', org: '' });
      monitorDrill.current = null;
    }
    disposeCharts($('monitoring-view'));
    $('monitoring-view').innerHTML =
      '<div class="toolbar"><label>Месяц <input type="month" id="m-month" value="' +
      esc(monitor.month) +
      '"></label>' +
      (can('supervisor') ? '<label>Организация <select id="m-org"><option value="">весь регион</option>' + orgOptions() + '</select></label>' : '') +
      '<span class="muted" id="m-scope" aria-live="polite"></span></div>' +
      '<section id="m-drill" class="drill" hidden aria-label="Сообщения показателя"></section>' +
      '<div id="m-body"><p class="muted">Загрузка…</p></div>';
    if ($('m-org')) $('m-org').value = monitor.org;
    loadMonitoring();
  }

  /** The drill-down's query of a figure of the shown month (or another, for the previous month's bars), in the shown scope. */
  function drillQuery(params) {
    const d = monitor.data;
    const p = new URLSearchParams({ year: String(d.year), month: String(d.month) });
    if (d.organizationId) p.set('scopeOrganizationId', d.organizationId);
    for (const k in params) p.set(k, params[k] === null ? '' : String(params[k]));
    return p.toString();
  }
  /** A number of a table that opens its list (a zero has none to open). */
  function num(n, params, title) {
    return n
      ? '<button class="num" data-drill="' + esc(drillQuery(params)) + '" data-title="' + esc(title) + '">' + n + '</button>'
      : '<span class="muted">0</span>';
  }

  async function loadMonitoring() {
    const body = $('m-body');
    const seq = ++monitor.seq;
    const p = new URLSearchParams();
    if (monitor.month) {
      p.set('year', String(Number(monitor.month.slice(0, 4))));
      p.set('month', String(Number(monitor.month.slice(5, 7))));
    }
    if (monitor.org) p.set('organizationId', monitor.org);
    let d;
    try {
      d = await getJson('/api/v1/reports/dashboard?' + p);
    } catch (e) {
      if (seq === monitor.seq) body.innerHTML = '<p class="error">Не удалось загрузить мониторинг: ' + esc(e.message) + '</p>';
      return;
    }
    if (seq !== monitor.seq || !body.isConnected) return;
    monitor.data = d;
    const ym = (y, m) => y + '-' + String(m).padStart(2, '0');
    $('m-month').value = ym(d.year, d.month);
    $('m-month').max = ym(d.current.year, d.current.month);
    $('m-scope').textContent = d.organizationName + ' · ' + d.title + ' · данные на ' + fmt.format(new Date(d.dataAsOf));
    disposeCharts(body);
    body.innerHTML =
      Object.keys(SECTION_TITLES)
        .map((key) => sectionCards(key, d.totals[key]))
        .join('') +
      '<div class="panels">' +
      panel('Поступление по дням и каналам', 'm-volume', 'wide', volumeTable(d)) +
      panel('Топ категорий: ' + d.title + ' и предыдущий месяц', 'm-categories', '', categoriesTable(d)) +
      panel('Ответы в срок по неделям', 'm-weekly', '', weeklyTable(d)) +
      panel('Категории × территории', 'm-heatmap', 'wide', heatmapTable(d)) +
      panel('Ответы в срок по организациям', 'm-organizations', 'wide', organizationsTable(d)) +
      '<div class="chart wide"><b>Рейтинг организаций</b><div id="m-ratings"><p class="muted">Загрузка…</p></div></div>' +
      '</div>';
    drawMonitoring(d).catch(chartFailed);
    ratingsPanel(d);
  }

  function sectionCards(key, t) {
    return (
      '<h3 class="section-title">' +
      esc(SECTION_TITLES[key]) +
      '</h3><div class="cards five">' +
      CARDS.map(([figure, label, value, note]) => {
        const count = figure === 'answeredOnTime' ? t.answeredOnTime : t[figure];
        return (
          '<div class="card drillable" role="button" tabindex="0" data-card="' +
          key +
          '-' +
          figure +
          '" data-count="' +
          count +
          '" data-drill="' +
          esc(drillQuery({ section: key, figure })) +
          '" data-title="' +
          esc(SECTION_NAMES[key] + ': ' + FIGURE_TITLES[figure]) +
          '"><div class="label">' +
          esc(label) +
          '</div><div class="figure">' +
          esc(value(t)) +
          '</div><div class="muted">' +
          esc(note(t)) +
          '</div></div>'
        );
      }).join('') +
      '</div>'
    );
  }
  function panel(title, id, cls, table) {
    return (
      '<div class="chart ' +
      cls +
      '"><b>' +
      esc(title) +
      '</b><div class="echart" id="' +
      id +
      '" role="img" aria-label="' +
      esc(title) +
      '"></div><details><summary>Таблицей</summary>' +
      table +
      '</details></div>'
    );
  }
  function volumeTable(d) {
    const v = d.volumeByDay;
    const rows = v.days.map((day, i) => ({ day, counts: v.series.map((s) => s.received[i]) })).filter((r) => r.counts.some((n) => n > 0));
    if (!rows.length) return '<p class="muted">Сообщений не поступало.</p>';
    return (
      '<table class="plain compact"><thead><tr><th>День</th>' +
      v.series.map((s) => '<th>' + esc(SECTION_NAMES[s.section]) + '</th>').join('') +
      '</tr></thead><tbody>' +
      rows
        .map(
          (r) =>
            '<tr><td>' +
            esc(r.day.split('-').reverse().join('.')) +
            '</td>' +
            r.counts
              .map(
                (n, j) =>
                  '<td>' +
                  num(
                    n,
                    { section: v.series[j].section, figure: 'received', day: r.day },
                    SECTION_NAMES[v.series[j].section] + ': поступило ' + r.day.split('-').reverse().join('.'),
                  ) +
                  '</td>',
              )
              .join('') +
            '</tr>',
        )
        .join('') +
      '</tbody></table>'
    );
  }
  function categoriesTable(d) {
    if (!d.topCategories.length) return '<p class="muted">Сообщений не поступало.</p>';
    const prev = d.previous;
    return (
      '<table class="plain compact"><thead><tr><th>Категория</th><th>' +
      esc(d.title) +
      '</th><th>Предыдущий месяц</th></tr></thead><tbody>' +
      d.topCategories
        .map(
          (c) =>
            '<tr><td>' +
            esc(c.categoryName) +
            '</td><td>' +
            num(c.received, { section: 'all', figure: 'received', categoryCode: c.categoryCode }, c.categoryName + ': поступило') +
            '</td><td>' +
            num(
              c.previous,
              { year: prev.year, month: prev.month, section: 'all', figure: 'received', categoryCode: c.categoryCode },
              c.categoryName + ': поступило в предыдущем месяце',
            ) +
            '</td></tr>',
        )
        .join('') +
      '</tbody></table>'
    );
  }
  function weekTitle(w) {
    return 'неделя с ' + w.weekStart.split('-').reverse().join('.');
  }
  function weeklyTable(d) {
    return (
      '<table class="plain compact"><thead><tr><th>Неделя</th><th>Ответов</th><th>В срок</th><th>С опозданием</th></tr></thead><tbody>' +
      d.onTimeByWeek
        .map(
          (w) =>
            '<tr><td>' +
            esc(weekTitle(w)) +
            '</td><td>' +
            num(w.answered, { section: 'all', figure: 'answered', week: w.weekStart }, 'Отвечено, ' + weekTitle(w)) +
            '</td><td>' +
            num(w.answeredOnTime, { section: 'all', figure: 'answeredOnTime', week: w.weekStart }, 'Отвечено в срок, ' + weekTitle(w)) +
            '</td><td>' +
            num(w.answered - w.answeredOnTime, { section: 'all', figure: 'answeredLate', week: w.weekStart }, 'Отвечено с опозданием, ' + weekTitle(w)) +
            '</td></tr>',
        )
        .join('') +
      '</tbody></table>'
    );
  }
  function heatmapTable(d) {
    const h = d.heatmap;
    if (!h.cells.length) return '<p class="muted">Сообщений не поступало.</p>';
    const cell = (c, t) => h.cells.find((x) => x.categoryCode === c.categoryCode && x.territoryId === t.territoryId);
    return (
      '<div class="scroll"><table class="plain compact"><thead><tr><th>Категория</th>' +
      h.territories.map((t) => '<th>' + esc(t.territoryName) + '</th>').join('') +
      '</tr></thead><tbody>' +
      h.categories
        .map(
          (c) =>
            '<tr><td>' +
            esc(c.categoryName) +
            '</td>' +
            h.territories
              .map((t) => {
                const x = cell(c, t);
                return (
                  '<td>' +
                  num(
                    x ? x.received : 0,
                    { section: 'all', figure: 'received', categoryCode: c.categoryCode, territoryId: t.territoryId },
                    c.categoryName + ' · ' + t.territoryName + ': поступило',
                  ) +
                  '</td>'
                );
              })
              .join('') +
            '</tr>',
        )
        .join('') +
      '</tbody></table></div>'
    );
  }
  function organizationsTable(d) {
    if (!d.onTimeByOrganization.length) return '<p class="muted">Ответов не было.</p>';
    return (
      '<table class="plain compact"><thead><tr><th>Организация</th><th>Ответов</th><th>В срок</th><th>С опозданием</th><th>Доля в срок</th></tr></thead><tbody>' +
      d.onTimeByOrganization
        .map(
          (o) =>
            '<tr><td>' +
            esc(o.organizationName) +
            '</td><td>' +
            num(o.answered, { section: 'all', figure: 'answered', organizationId: o.organizationId }, o.organizationName + ': отвечено') +
            '</td><td>' +
            num(o.answeredOnTime, { section: 'all', figure: 'answeredOnTime', organizationId: o.organizationId }, o.organizationName + ': отвечено в срок') +
            '</td><td>' +
            num(
              o.answered - o.answeredOnTime,
              { section: 'all', figure: 'answeredLate', organizationId: o.organizationId },
              o.organizationName + ': с опозданием',
            ) +
            '</td><td>' +
            (o.share === null ? '—' : Math.round(o.share * 100) + '%') +
            '</td></tr>',
        )
        .join('') +
      '</tbody></table>'
    );
  }

  /** The charts of the monitoring view; a click on a bar or a cell opens its list, as the tables' numbers do. */
  async function drawMonitoring(d) {
    const v = d.volumeByDay;
    const open = (params, title) => monitorDrill.open(drillQuery(params), title);
    await draw(
      $('m-volume'),
      {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 36, right: 12, top: 32, bottom: 24 },
        xAxis: { type: 'category', data: v.days.map((x) => x.slice(8, 10)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: v.series.map((s) => ({ name: SECTION_NAMES[s.section], type: 'bar', stack: 'day', color: COLORS[s.section], data: s.received })),
      },
      (p) => {
        const s = v.series[p.seriesIndex];
        const day = v.days[p.dataIndex];
        open({ section: s.section, figure: 'received', day }, SECTION_NAMES[s.section] + ': поступило ' + day.split('-').reverse().join('.'));
      },
    );
    const top = d.topCategories;
    await draw(
      $('m-categories'),
      {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 180, right: 16, top: 32, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: top.map((c) => c.categoryName), axisLabel: { width: 170, overflow: 'truncate' } },
        series: [
          { name: d.title, type: 'bar', color: COLORS.pos, data: top.map((c) => c.received) },
          { name: 'предыдущий месяц', type: 'bar', color: COLORS.previous, data: top.map((c) => c.previous) },
        ],
      },
      (p) => {
        const c = top[p.dataIndex];
        if (p.seriesIndex === 0) open({ section: 'all', figure: 'received', categoryCode: c.categoryCode }, c.categoryName + ': поступило');
        else
          open(
            { year: d.previous.year, month: d.previous.month, section: 'all', figure: 'received', categoryCode: c.categoryCode },
            c.categoryName + ': поступило в предыдущем месяце',
          );
      },
    );
    await weeklyChart($('m-weekly'), d.onTimeByWeek, (w, figure) =>
      open({ section: 'all', figure, week: w.weekStart }, (figure === 'answeredOnTime' ? 'Отвечено в срок, ' : 'Отвечено с опозданием, ') + weekTitle(w)),
    );
    const h = d.heatmap;
    $('m-heatmap').style.height = Math.max(180, h.categories.length * 28 + 100) + 'px';
    await draw(
      $('m-heatmap'),
      {
        tooltip: { position: 'top' },
        grid: { left: 180, right: 16, top: 8, bottom: 80 },
        xAxis: { type: 'category', data: h.territories.map((t) => t.territoryName), axisLabel: { rotate: 30, width: 110, overflow: 'truncate' } },
        yAxis: { type: 'category', inverse: true, data: h.categories.map((c) => c.categoryName), axisLabel: { width: 170, overflow: 'truncate' } },
        visualMap: {
          min: 0,
          max: Math.max(1, ...h.cells.map((c) => c.received)),
          show: false,
          inRange: { color: ['#eef3ff', '#2457c5'] },
        },
        series: [
          {
            name: 'поступило',
            type: 'heatmap',
            label: { show: true },
            data: h.cells.map((c) => [
              h.territories.findIndex((t) => t.territoryId === c.territoryId),
              h.categories.findIndex((x) => x.categoryCode === c.categoryCode),
              c.received,
            ]),
          },
        ],
      },
      (p) => {
        const t = h.territories[p.data[0]];
        const c = h.categories[p.data[1]];
        open(
          { section: 'all', figure: 'received', categoryCode: c.categoryCode, territoryId: t.territoryId },
          c.categoryName + ' · ' + t.territoryName + ': поступило',
        );
      },
    );
    const orgs = d.onTimeByOrganization;
    $('m-organizations').style.height = Math.max(120, orgs.length * 26 + 80) + 'px';
    await draw(
      $('m-organizations'),
      {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 270, right: 48, top: 32, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: orgs.map((o) => o.organizationName), axisLabel: { width: 260, overflow: 'truncate' } },
        series: [
          { name: 'в срок', type: 'bar', stack: 'answers', color: COLORS.ok, data: orgs.map((o) => o.answeredOnTime) },
          {
            name: 'с опозданием',
            type: 'bar',
            stack: 'answers',
            color: COLORS.late,
            data: orgs.map((o) => o.answered - o.answeredOnTime),
            label: { show: true, position: 'right', color: COLORS.share, formatter: (p) => Math.round(orgs[p.dataIndex].share * 100) + '%' },
          },
        ],
      },
      (p) => {
        const o = orgs[p.dataIndex];
        const figure = p.seriesIndex === 0 ? 'answeredOnTime' : 'answeredLate';
        open({ section: 'all', figure, organizationId: o.organizationId }, o.organizationName + ': ' + FIGURE_TITLES[figure]);
      },
    );
  }

  /** The league table lands separately (GET /api/v1/reports/ratings): shown when the service has it. */
  async function ratingsPanel(d) {
    const el = () => (monitor.data === d ? $('m-ratings') : null);
    let res;
    let body = {};
    try {
      res = await api('/api/v1/reports/ratings?period=month&year=' + d.year + '&month=' + d.month);
      body = await res.json().catch(() => ({}));
    } catch (e) {
      if (el()) el().innerHTML = '<p class="muted">Рейтинг недоступен: ' + esc(e.message) + '</p>';
      return;
    }
    if (!el()) return;
    if (res.status === 404) {
      el().innerHTML = '<p class="muted">Рейтинг будет доступен позже</p>';
      return;
    }
    if (!res.ok) {
      el().innerHTML = '<p class="muted">Рейтинг недоступен: ' + esc(body.message || res.statusText) + '</p>';
      return;
    }
    const number = (x) => (x === null || x === undefined ? '—' : String(x));
    const change = (r) => {
      const x = r.change && r.change.index;
      if (x === null || x === undefined) return '<span class="muted">—</span>';
      return '<span class="' + (x > 0 ? 'ok' : x < 0 ? 'error' : 'muted') + '">' + (x > 0 ? '+' : '') + esc(x) + '</span>';
    };
    const groups = body.groups || [];
    el().innerHTML = groups.length
      ? groups
          .map(
            (g) =>
              (g.title || g.name ? '<h4>' + esc(g.title || g.name) + '</h4>' : '') +
              '<table class="plain compact"><thead><tr><th>Место</th><th>Организация</th><th>Индекс</th><th>Изменение</th></tr></thead><tbody>' +
              (g.rows || [])
                .map(
                  (r) =>
                    '<tr><td>' +
                    esc(number(r.rank)) +
                    '</td><td>' +
                    esc(r.organizationName) +
                    '</td><td>' +
                    esc(number(r.index)) +
                    '</td><td>' +
                    change(r) +
                    '</td></tr>',
                )
                .join('') +
              '</tbody></table>',
          )
          .join('')
      : '<p class="muted">Рейтинг за этот месяц пуст.</p>';
  }

  /**
   * The list of the messages a figure counts (the drill-down), in a panel `<prefix>-drill` of a
   * view: its total is the figure; rows open the message card; Esc closes it. The monitoring view
   * and the summaries each have one. `note(expected, total)` may say why a list differs from a
   * figure the page shows (a summary is a snapshot; the list is today's facts).
   */
  function DrillList(prefix, note) {
    const id = (part) => prefix + '-drill' + part;
    const list = { current: null, opener: null, seq: 0 };
    list.isOpen = () => !!$(id('')) && !$(id('')).hidden;
    list.open = async (query, title, opener, more, expected) => {
      const panel = $(id(''));
      if (!panel) return;
      if (!more) list.current = { query, title, expected, items: [], total: 0 };
      if (opener) list.opener = opener;
      const dr = list.current;
      const seq = ++list.seq;
      let page;
      try {
        page = await getJson('/api/v1/reports/figures/messages?' + dr.query + '&limit=100&offset=' + dr.items.length);
      } catch (e) {
        if (seq !== list.seq) return;
        panel.hidden = false;
        panel.innerHTML = '<p class="error">Не удалось загрузить список: ' + esc(e.message) + '</p>';
        return;
      }
      if (list.current !== dr || seq !== list.seq || !panel.isConnected) return;
      dr.items = dr.items.concat(page.items);
      dr.total = page.total;
      const statuses = state.catalog.statuses || {};
      const channels = state.catalog.channels || {};
      const when = (x) => (x ? fmt.format(new Date(x)) : '<span class="muted">—</span>');
      panel.hidden = false;
      panel.innerHTML =
        '<div class="drill-head"><h3 id="' +
        id('-title') +
        '" tabindex="-1">' +
        esc(dr.title) +
        ': <span id="' +
        id('-total') +
        '">' +
        dr.total +
        '</span></h3><span class="muted">показано ' +
        dr.items.length +
        '</span><button id="' +
        id('-close') +
        '" title="Esc">Закрыть</button></div>' +
        (note ? note(dr.expected, dr.total) : '') +
        (dr.items.length
          ? '<div class="scroll"><table class="plain compact" id="' +
            id('-rows') +
            '"><thead><tr><th>Сообщение</th><th>Поступило</th><th>Канал</th><th>Категория</th><th>Организация</th><th>Статус</th><th>Срок</th><th>Ответ</th></tr></thead><tbody>' +
            dr.items
              .map(
                (m) =>
                  '<tr data-id="' +
                  esc(m.id) +
                  '"><td><a class="link" href="#/messages/' +
                  esc(m.id) +
                  '">' +
                  esc(m.posNumber ? '№ ' + m.posNumber : m.id.slice(0, 8)) +
                  '</a></td><td>' +
                  when(m.receivedAt) +
                  '</td><td>' +
                  esc(channels[m.channel] || m.channel) +
                  '</td><td>' +
                  (m.categoryCode ? esc(name(m.categoryCode)) : '<span class="muted">не определена</span>') +
                  '</td><td>' +
                  esc(m.organization ? m.organization.name : 'ЦУР') +
                  '</td><td><span class="chip ' +
                  esc(m.status) +
                  '">' +
                  esc(statuses[m.status] || m.status) +
                  '</span></td><td>' +
                  when(m.dueAt) +
                  '</td><td>' +
                  when(m.answeredAt) +
                  '</td></tr>',
              )
              .join('') +
            '</tbody></table></div>'
          : '<p class="muted">Сообщений нет.</p>') +
        (dr.items.length < dr.total ? '<button id="' + id('-more') + '">Показать ещё</button>' : '');
      if (!more) {
        panel.scrollIntoView({ block: 'nearest' });
        $(id('-title')).focus();
      } else if ($(id('-more'))) $(id('-more')).focus();
      else $(id('-title')).focus();
    };
    /** Closes the list; focus goes back to the figure that opened it, unless the user is busy elsewhere (`keepFocus`). */
    list.close = (keepFocus) => {
      list.current = null;
      list.seq++;
      const panel = $(id(''));
      if (!panel) return;
      panel.hidden = true;
      panel.innerHTML = '';
      if (!keepFocus && list.opener && list.opener.isConnected) list.opener.focus();
    };
    /** A view's figures ([data-drill]: cards and table numbers) open their lists by click, Enter or Space; the list's buttons page and close it. */
    list.wire = (root) => {
      root.addEventListener('click', (e) => {
        const target = e.target.closest('[data-drill], #' + id('-close') + ', #' + id('-more'));
        if (!target) return;
        if (target.id === id('-close')) list.close();
        else if (target.id === id('-more')) {
          if (list.current) list.open(list.current.query, list.current.title, null, true);
        } else list.open(target.dataset.drill, target.dataset.title, target, false, target.dataset.count);
      });
      root.addEventListener('keydown', (e) => {
        const card = e.target.closest && e.target.closest('.card[data-drill]');
        if (card && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          list.open(card.dataset.drill, card.dataset.title, card, false, card.dataset.count);
        }
      });
    };
    return list;
  }
  const monitorDrill = DrillList('m');
  monitorDrill.wire($('monitoring-view'));
  $('monitoring-view').addEventListener('change', (e) => {
    if (e.target.id === 'm-month') monitor.month = e.target.value;
    else if (e.target.id === 'm-org') monitor.org = e.target.value;
    else return;
    monitorDrill.close(true);
    loadMonitoring();
  });

  // ---- summaries (order No. 733, item 4): a month's summaries, generated, downloaded and approved; their submission by the 3rd; the league table ----
  // The server decides who may do what (supervisors: the region and any organization; heads: their own);
  // the page offers «Утвердить» only to the approver the server names and shows its message otherwise.
  const MONTH_NAMES = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
  const REPORT_STATUSES = { generating: 'Формируется', ready: 'Сформирована', failed: 'Ошибка формирования', approved: 'Утверждена' };
  const SUBMISSION_STATUSES = {
    waiting: 'Ожидает',
    at_risk: 'Срок на исходе',
    overdue: 'Просрочена',
    approved: 'Утверждена',
    approved_late: 'Утверждена с опозданием',
  };
  const SUBMISSION_ORDER = { overdue: 0, at_risk: 1, waiting: 2, approved_late: 3, approved: 4 };
  const GROUP_ORDER = ['executive_body', 'institution', 'municipality', 'cur'];
  const GROUP_TITLES = {
    executive_body: 'Органы исполнительной власти',
    institution: 'Подведомственные учреждения',
    municipality: 'Муниципальные образования',
    cur: 'ЦУР',
  };
  const TIME_UNITS = { working_days: 'раб. дн.', working_hours: 'раб. ч' };
  /** The counted figures of a summary, worded as its files word them: each is a list of messages (the drill-down). */
  const SUMMARY_FIGURES = [
    ['received', 'Поступило', 'Сообщения, поступившие в месяце'],
    ['answered', 'Дан ответ', 'Окончательный ответ отправлен в месяце, когда бы сообщение ни поступило'],
    ['answeredOnTime', 'В срок', 'Из ответов месяца: не позже срока (с продлениями)'],
    ['answeredLate', 'С нарушением срока', 'Из ответов месяца: позже срока'],
    ['openOverdue', 'Не отвечено, срок истёк', 'На конец месяца ответа нет, срок — раньше конца месяца'],
    ['openNotDue', 'Не отвечено, срок не истёк', 'На конец месяца ответа нет, срок — не раньше конца месяца'],
    ['openNoDueDate', 'Не отвечено, срок не определён', 'На конец месяца ответа нет, срок неизвестен'],
    ['extensions', 'Продления', 'Продление срока утверждено в месяце'],
    ['redirects', 'Перенаправления', 'Перенаправлено в месяце'],
    ['rejectedByModeration', 'Отклонено модерацией', 'Отклонено модерацией в месяце'],
    ['reconsiderations', 'Повторные рассмотрения', 'Повторное рассмотрение открыто в месяце'],
    ['ratings', 'Оценок', 'Оценки заявителей, данные в месяце'],
  ];
  const FIGURE_LABELS = Object.fromEntries(SUMMARY_FIGURES.map(([key, label]) => [key, label]));
  /** The tables' columns: [figure, header, full title, kind]. */
  const SUMMARY_COLUMNS = [
    ['received', 'Поступило', 'Поступило', 'count'],
    ['answered', 'Ответ', 'Дан ответ', 'count'],
    ['answeredOnTime', 'В срок', 'В срок', 'count'],
    ['answeredLate', 'С наруш.', 'С нарушением срока', 'count'],
    ['openOverdue', 'Просроч.', 'Не отвечено, срок истёк', 'count'],
    ['openNotDue', 'Срок не истёк', 'Не отвечено, срок не истёк', 'count'],
    ['openNoDueDate', 'Без срока', 'Не отвечено, срок не определён', 'count'],
    ['timeToAnswerMedian', 'Медиана', 'Медиана времени ответа', 'time'],
    ['timeToAnswerMean', 'Среднее', 'Среднее время ответа', 'time'],
    ['extensions', 'Продл.', 'Продления', 'count'],
    ['redirects', 'Перенапр.', 'Перенаправления', 'count'],
    ['rejectedByModeration', 'Откл.', 'Отклонено модерацией', 'count'],
    ['reconsiderations', 'Повт.', 'Повторные рассмотрения', 'count'],
    ['ratings', 'Оценок', 'Оценок', 'count'],
    ['ratingMean', 'Ср. оценка', 'Средняя оценка', 'rating'],
    ['ratingHighShare', '4–5', 'Доля оценок 4–5', 'share'],
  ];
  const CATEGORY_ROWS = 50;
  const fmtFull = new Intl.DateTimeFormat('ru-RU', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const dec1 = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
  const dec2 = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 });
  const at = (x) => (x ? fmtFull.format(new Date(x)) : '—');
  const monthTitle = (year, month) => MONTH_NAMES[month - 1] + ' ' + year;
  /** Who did it: a login, or «автоматически» for the service itself. */
  const who = (login) => (!login ? '—' : /^system:/.test(login) ? 'автоматически' : login);
  /** The lateness of a late approval, in hours of office time. */
  const lateText = (late) => 'Утверждена с опозданием: ' + dec1.format(Math.max(0.1, Math.round(late.latenessWorkingMs / 360e3) / 10)) + ' ч рабочего времени';
  /** The month now, in Moscow (the region's zone), as <input type="month"> writes it. */
  function moscowMonth() {
    const parts = {};
    for (const p of new Intl.DateTimeFormat('en-US', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).formatToParts(new Date())) parts[p.type] = p.value;
    return parts.year + '-' + parts.month;
  }
  const splitMonth = (value) => ({ year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)) });

  const summaries = {
    login: null,
    month: '',
    items: [],
    approving: null,
    notes: {},
    fresh: null,
    open: null,
    history: [],
    expanded: {},
    opener: null,
    seq: { list: 0, submissions: 0, open: 0, ratings: 0 },
    rating: { period: 'month', section: 'all' },
  };
  const summaryDrill = DrillList('r', (expected, total) => {
    const s = summaries.open;
    if (expected === undefined || !s || Number(expected) === total) return '';
    return (
      '<p class="notice warning" id="r-drill-changed">В сводке (данные на ' +
      esc(at(s.dataAsOf)) +
      '): ' +
      esc(expected) +
      '. Список — по сегодняшним данным: после формирования сводки они изменились; новая версия сводки покажет их.</p>'
    );
  });
  summaryDrill.wire($('reports-view'));

  /** A focused control of `root` by its `data-key`, to put focus back after the HTML is replaced. */
  function focusedKey(root) {
    const a = document.activeElement;
    return a && root.contains(a) && a.dataset ? a.dataset.key || null : null;
  }
  function focusKey(root, key) {
    const el = key && root && root.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (el) el.focus();
    return !!el;
  }
  /** A status line: `kind` is 'ok', 'error' or '' (plain). */
  function say(id, kind, text) {
    const el = $(id);
    if (!el) return;
    el.className = kind;
    el.textContent = text;
  }
  /** A server message in Russian: class-validator's own are English, so a field gets its Russian words instead. */
  const russian = (message, fallback) => (/[а-яё]/i.test(message || '') ? message : fallback);
  /** Shows the server's field errors next to their fields (`fields`: API field → control id); returns what it could not place. */
  function fieldErrors(body, fields, fallbacks) {
    const rest = [];
    let first = null;
    for (const e of body.errors || []) {
      const id = fields[e.field];
      if (!id || !$(id + '-error')) {
        rest.push(russian(e.message, 'неверное значение'));
        continue;
      }
      const box = $(id + '-error');
      box.hidden = false;
      box.textContent = (box.textContent ? box.textContent + '; ' : '') + russian(e.message, fallbacks[e.field] || 'неверное значение');
      $(id).setAttribute('aria-invalid', 'true');
      first = first || $(id);
    }
    if (first) first.focus();
    return rest;
  }
  function clearFieldErrors(ids) {
    for (const id of ids) {
      if ($(id + '-error')) {
        $(id + '-error').hidden = true;
        $(id + '-error').textContent = '';
      }
      if ($(id)) $(id).removeAttribute('aria-invalid');
    }
  }
  /** Downloads a file of the API (the Authorization header rules out a plain link): fetch → blob → a temporary <a download>. */
  async function download(path, fallbackName, button, statusId) {
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    say(statusId, '', 'Готовится файл…');
    try {
      const res = await api(path);
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.message || res.statusText);
      }
      const blob = await res.blob();
      const named = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') || '');
      const fileName = named ? named[1] : fallbackName;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      // The browser has taken the file by then; the address only keeps the blob in memory.
      setTimeout(() => URL.revokeObjectURL(url), 60e3);
      say(statusId, 'ok', 'Скачан файл ' + fileName);
    } catch (e) {
      say(statusId, 'error', 'Не удалось скачать файл: ' + e.message);
    } finally {
      button.removeAttribute('aria-busy');
    }
  }
  /** Whether the server would let this user approve the summary: the region's by a supervisor, an organization's by its head. */
  function mayApprove(r) {
    if (r.status !== 'ready') return false;
    if (r.organizationId === null) return can('supervisor');
    return can('head') && !!auth.me.organization && auth.me.organization.id === r.organizationId;
  }
  const fileButtons = (r, where) =>
    ['xlsx', 'pdf', 'csv']
      .map(
        (format) =>
          '<button data-act="file" data-id="' +
          esc(r.id) +
          '" data-format="' +
          format +
          '" data-key="' +
          where +
          '-file-' +
          format +
          ':' +
          esc(r.id) +
          '" aria-label="Скачать ' +
          format.toUpperCase() +
          ': ' +
          esc(r.organizationName) +
          ', версия ' +
          r.version +
          '">' +
          format.toUpperCase() +
          '</button>',
      )
      .join('');

  /** The view: the generation form, the month's summaries, the opened summary, the submissions, the league table. */
  function summariesView() {
    if (summaries.login !== auth.me.login)
      Object.assign(summaries, { login: auth.me.login, month: '', items: [], approving: null, notes: {}, fresh: null, open: null, history: [], expanded: {} });
    summaries.month = summaries.month || moscowMonth();
    const field = (id, label, control) =>
      '<span class="field"><label>' + label + ' ' + control + '</label><small class="error" id="' + id + '-error" hidden></small></span>';
    $('reports-view').innerHTML =
      '<form id="r-form" class="toolbar" novalidate>' +
      field(
        'r-month',
        'Месяц',
        '<input type="month" id="r-month" required aria-describedby="r-month-error" value="' + esc(summaries.month) + '" max="' + moscowMonth() + '">',
      ) +
      (can('supervisor')
        ? field('r-org', 'Организация', '<select id="r-org" aria-describedby="r-org-error"><option value="">весь регион</option>' + orgOptions() + '</select>')
        : '<span>Организация: <b>' + esc(auth.me.organization ? auth.me.organization.name : '—') + '</b></span>') +
      field('r-reason', 'Причина', '<input id="r-reason" maxlength="2000" size="28" placeholder="необязательно" aria-describedby="r-reason-error">') +
      '<button class="primary" type="submit" id="r-generate">Сформировать</button>' +
      '<span id="r-result" role="status"></span></form>' +
      '<section aria-labelledby="r-list-title"><h3 class="section-title" id="r-list-title"></h3><div id="r-list"><p class="muted">Загрузка…</p></div><p id="r-list-status" role="status"></p></section>' +
      '<section id="r-summary" class="summary" hidden aria-labelledby="r-summary-title"></section>' +
      '<section aria-labelledby="r-submissions-title"><h3 class="section-title" id="r-submissions-title"></h3><div id="r-submissions"></div></section>' +
      '<section aria-labelledby="r-ratings-title"><h3 class="section-title" id="r-ratings-title">Рейтинг организаций</h3>' +
      '<div class="toolbar" id="r-ratings-tools"><span role="radiogroup" aria-label="Период рейтинга" class="switch">' +
      '<label><input type="radio" name="r-rating-period" value="month"' +
      (summaries.rating.period === 'month' ? ' checked' : '') +
      '> месяц</label><label><input type="radio" name="r-rating-period" value="quarter"' +
      (summaries.rating.period === 'quarter' ? ' checked' : '') +
      '> квартал</label></span>' +
      '<label>Раздел <select id="r-rating-section"><option value="all">все каналы</option><option value="pos">ПОС</option><option value="appeals">59-ФЗ</option><option value="social">соцсети</option></select></label>' +
      '<button data-act="rating-file" data-format="csv" data-key="rating-file-csv" aria-label="Скачать рейтинг CSV">CSV</button>' +
      '<button data-act="rating-file" data-format="xlsx" data-key="rating-file-xlsx" aria-label="Скачать рейтинг XLSX">XLSX</button>' +
      '<span class="muted" id="r-ratings-scope"></span><span id="r-ratings-status" role="status"></span></div>' +
      '<div id="r-ratings"><p class="muted">Загрузка…</p></div></section>';
    $('r-rating-section').value = summaries.rating.section;
    if (summaries.open) renderSummary();
    refreshSummaries();
  }
  function refreshSummaries() {
    loadSummaryList();
    loadSubmissions();
    loadRatings();
  }

  // The month's summaries: SummaryList.
  async function loadSummaryList() {
    const seq = ++summaries.seq.list;
    const { year, month } = splitMonth(summaries.month);
    $('r-list-title').textContent = 'Сводки за ' + monthTitle(year, month);
    let list;
    try {
      list = await getJson('/api/v1/reports/monthly?year=' + year + '&month=' + month);
    } catch (e) {
      if (seq === summaries.seq.list && $('r-list')) $('r-list').innerHTML = '<p class="error">Не удалось загрузить сводки: ' + esc(e.message) + '</p>';
      return;
    }
    if (seq !== summaries.seq.list || !$('r-list')) return;
    const region = (r) => (r.organizationId === null ? 0 : 1);
    summaries.items = list.items
      .slice()
      .sort((a, b) => region(a) - region(b) || a.organizationName.localeCompare(b.organizationName, 'ru') || b.version - a.version);
    if (summaries.approving && !summaries.items.some((r) => r.id === summaries.approving && mayApprove(r))) summaries.approving = null;
    renderSummaryList();
  }
  function renderSummaryList() {
    const box = $('r-list');
    const key = focusedKey(box);
    const typed = $('r-approve-reason') ? $('r-approve-reason').value : '';
    box.innerHTML = summaries.items.length
      ? '<div class="scroll"><table class="plain compact" id="r-reports"><thead><tr><th>Организация</th><th>Версия</th><th>Статус</th><th>Данные на</th><th>Сформировал</th><th>Утвердил</th><th>Действия</th></tr></thead><tbody>' +
        summaries.items.map(summaryRow).join('') +
        '</tbody></table></div>'
      : '<p class="muted">За этот месяц сводок ещё нет: выберите ' +
        (can('supervisor') ? 'организацию (пусто — весь регион)' : 'месяц') +
        ' и нажмите «Сформировать».</p>';
    if ($('r-approve-reason')) $('r-approve-reason').value = typed;
    focusKey(box, key);
  }
  function summaryRow(r) {
    const note = summaries.notes[r.id];
    const row =
      '<tr data-id="' +
      esc(r.id) +
      '"' +
      (r.id === summaries.fresh ? ' class="fresh"' : '') +
      '><td>' +
      esc(r.organizationName) +
      '</td><td>' +
      r.version +
      '</td><td><span class="chip report-' +
      esc(r.status) +
      '">' +
      esc(REPORT_STATUSES[r.status] || r.status) +
      '</span>' +
      (note ? '<br><small class="' + note.kind + '" data-note>' + esc(note.text) + '</small>' : '') +
      '</td><td class="when">' +
      esc(at(r.dataAsOf)) +
      '</td><td>' +
      esc(who(r.generatedBy)) +
      '</td><td>' +
      (r.approvedBy ? esc(who(r.approvedBy)) + '<br><small class="muted">' + esc(at(r.approvedAt)) + '</small>' : '<span class="muted">—</span>') +
      '</td><td class="row-actions"><button data-act="open" data-id="' +
      esc(r.id) +
      '" data-key="open:' +
      esc(r.id) +
      '" aria-label="Открыть сводку: ' +
      esc(r.organizationName) +
      ', версия ' +
      r.version +
      '">Открыть</button>' +
      (mayApprove(r) && summaries.approving !== r.id
        ? '<button class="primary" data-act="approve" data-id="' +
          esc(r.id) +
          '" data-key="approve:' +
          esc(r.id) +
          '" aria-label="Утвердить сводку: ' +
          esc(r.organizationName) +
          ', версия ' +
          r.version +
          '">Утвердить</button>'
        : '') +
      '<span class="files">' +
      fileButtons(r, 'list') +
      '</span></td></tr>';
    if (summaries.approving !== r.id) return row;
    return (
      row +
      '<tr class="approve-form"><td colspan="7"><form id="r-approve-form" data-id="' +
      esc(r.id) +
      '" novalidate><span class="field"><label>Причина утверждения <input id="r-approve-reason" maxlength="2000" size="36" placeholder="необязательно" aria-describedby="r-approve-reason-error"></label><small class="error" id="r-approve-reason-error" hidden></small></span>' +
      '<button class="primary" type="submit" data-key="approve-submit">Утвердить версию ' +
      r.version +
      '</button><button type="button" data-act="cancel-approval" data-key="approve-cancel" title="Esc">Отмена</button>' +
      '<span class="error" id="r-approve-error" role="alert"></span></form></td></tr>'
    );
  }

  // Generating: SummaryForm.
  async function generateSummary() {
    const ids = ['r-month', 'r-org', 'r-reason'];
    clearFieldErrors(ids);
    say('r-result', '', '');
    const value = $('r-month').value;
    if (!/^\d{4}-\d{2}$/.test(value)) {
      fieldErrors({ errors: [{ field: 'month', message: 'Выберите месяц' }] }, { month: 'r-month' }, {});
      return;
    }
    const button = $('r-generate');
    if (button.getAttribute('aria-busy') === 'true') return;
    const { year, month } = splitMonth(value);
    const body = { year, month };
    if ($('r-org') && $('r-org').value) body.organizationId = $('r-org').value;
    const reason = $('r-reason').value.trim();
    if (reason) body.reason = reason;
    button.setAttribute('aria-busy', 'true');
    say('r-result', '', 'Формируется…');
    let res;
    try {
      res = await post('/api/v1/reports/monthly', body);
    } catch (e) {
      say('r-result', 'error', 'Не удалось сформировать сводку: ' + e.message);
      return;
    } finally {
      button.removeAttribute('aria-busy');
    }
    if (!res.ok) {
      const rest = fieldErrors(
        res.body,
        { year: 'r-month', month: 'r-month', organizationId: $('r-org') ? 'r-org' : null, reason: 'r-reason' },
        { year: 'неверный год', month: 'неверный месяц', organizationId: 'неизвестная организация', reason: 'не длиннее 2000 символов' },
      );
      say('r-result', 'error', (res.body.message || 'Не удалось сформировать сводку') + (rest.length ? ': ' + rest.join('; ') : ''));
      return;
    }
    $('r-reason').value = '';
    summaries.fresh = res.body.id;
    if (summaries.month !== value) {
      summaries.month = value;
      loadSubmissions();
      loadRatings();
    }
    await loadSummaryList();
    const made = summaries.items.find((r) => r.id === res.body.id);
    say('r-result', 'ok', 'Сформирована версия ' + res.body.version + (made ? ': ' + made.organizationName : ''));
    // The next step is the new summary: open it, download it, approve it.
    focusKey($('r-list'), 'open:' + res.body.id);
  }

  // Approving: ApprovalForm, under its row.
  function startApproval(id) {
    summaries.approving = id;
    renderSummaryList();
    $('r-approve-reason').focus();
  }
  function cancelApproval() {
    const id = summaries.approving;
    summaries.approving = null;
    renderSummaryList();
    focusKey($('r-list'), 'approve:' + id) || focusKey($('r-list'), 'open:' + id);
  }
  async function approveSummary(id) {
    clearFieldErrors(['r-approve-reason']);
    say('r-approve-error', 'error', '');
    const submit = document.querySelector('#r-approve-form button[type="submit"]');
    if (submit.getAttribute('aria-busy') === 'true') return;
    const reason = $('r-approve-reason').value.trim();
    submit.setAttribute('aria-busy', 'true');
    let res;
    try {
      res = await post('/api/v1/reports/monthly/' + id + '/approval', reason ? { reason } : {});
    } catch (e) {
      say('r-approve-error', 'error', e.message);
      return;
    } finally {
      submit.removeAttribute('aria-busy');
    }
    if (!res.ok) {
      // 403/409 and the like: the server's own words, in the form, which stays open.
      const rest = fieldErrors(res.body, { reason: 'r-approve-reason' }, { reason: 'не длиннее 2000 символов' });
      if ($('r-approve-error')) say('r-approve-error', 'error', (res.body.message || 'Не удалось утвердить') + (rest.length ? ': ' + rest.join('; ') : ''));
      return;
    }
    const late = res.body.late;
    if (late) summaries.notes[id] = { kind: 'error', text: lateText(late) };
    summaries.approving = null;
    await loadSummaryList();
    say('r-list-status', late ? 'error' : 'ok', late ? lateText(late) : 'Сводка утверждена');
    focusKey($('r-list'), 'open:' + id);
    loadSubmissions();
    if (summaries.open && summaries.open.id === id) openSummary(id, null, true);
  }

  // The submissions by the 3rd: SubmissionTable.
  async function loadSubmissions() {
    const seq = ++summaries.seq.submissions;
    const { year, month } = splitMonth(summaries.month);
    $('r-submissions-title').textContent = 'Сдача сводок за ' + monthTitle(year, month) + ' (срок — 3-е число следующего месяца)';
    let list;
    try {
      list = await getJson('/api/v1/reports/submissions?year=' + year + '&month=' + month);
    } catch (e) {
      if (seq === summaries.seq.submissions && $('r-submissions'))
        $('r-submissions').innerHTML = '<p class="error">Не удалось загрузить сдачу сводок: ' + esc(e.message) + '</p>';
      return;
    }
    const box = $('r-submissions');
    if (seq !== summaries.seq.submissions || !box) return;
    const key = focusedKey(box);
    const items = list.items
      .slice()
      .sort(
        (a, b) =>
          (SUBMISSION_ORDER[a.status] ?? 9) - (SUBMISSION_ORDER[b.status] ?? 9) ||
          (a.organizationId === null ? 0 : 1) - (b.organizationId === null ? 0 : 1) ||
          a.organizationName.localeCompare(b.organizationName, 'ru'),
      );
    const count = (status) => items.filter((s) => s.status === status).length;
    box.innerHTML = items.length
      ? '<p class="muted" id="r-submissions-count">Утверждено ' +
        (count('approved') + count('approved_late')) +
        ' из ' +
        items.length +
        (count('approved_late') ? ', из них с опозданием ' + count('approved_late') : '') +
        ' · просрочено ' +
        count('overdue') +
        ' · срок на исходе ' +
        count('at_risk') +
        '</p><div class="scroll"><table class="plain compact" id="r-submissions-table"><thead><tr><th>Организация</th><th>Статус</th><th>Срок</th><th>Утверждена</th><th></th></tr></thead><tbody>' +
        items
          .map(
            (s) =>
              '<tr data-id="' +
              esc(s.id) +
              '" data-status="' +
              esc(s.status) +
              '"><td>' +
              esc(s.organizationName) +
              '</td><td><span class="chip sub-' +
              esc(s.status) +
              '">' +
              esc(SUBMISSION_STATUSES[s.status] || s.status) +
              '</span></td><td class="when">' +
              esc(at(s.dueAt)) +
              '</td><td class="when">' +
              (s.approvedAt ? esc(at(s.approvedAt)) : '<span class="muted">—</span>') +
              '</td><td>' +
              (s.approvedReportId || s.reportId
                ? '<button data-act="open" data-id="' +
                  esc(s.approvedReportId || s.reportId) +
                  '" data-key="sub-open:' +
                  esc(s.id) +
                  '" aria-label="Открыть сводку: ' +
                  esc(s.organizationName) +
                  '">Открыть</button>'
                : '') +
              '</td></tr>',
          )
          .join('') +
        '</tbody></table></div>'
      : '<p class="muted">Ожидаемых сводок за этот месяц нет: их список появляется в первый рабочий день после окончания месяца, срок сдачи — 3-е число.</p>';
    focusKey(box, key);
  }

  // The opened summary: SummaryView (FigureCards, OrganizationTable, CategoryTable, DisciplineSection, EngagementsNote, SummaryHistory).
  async function openSummary(id, opener, quiet) {
    const seq = ++summaries.seq.open;
    const box = $('r-summary');
    if (!box) return;
    if (!quiet) {
      summaryDrill.close(true);
      summaries.opener = opener || null;
      if (!summaries.open || summaries.open.id !== id) {
        box.hidden = false;
        box.innerHTML = '<p class="muted">Загрузка сводки…</p>';
      }
    }
    let s;
    let history;
    try {
      [s, history] = await Promise.all([getJson('/api/v1/reports/monthly/' + id), getJson('/api/v1/reports/monthly/' + id + '/history')]);
    } catch (e) {
      if (seq !== summaries.seq.open) return;
      box.hidden = false;
      box.innerHTML =
        '<div class="drill-head"><h2 id="r-summary-title" tabindex="-1">Сводка недоступна</h2><button id="r-summary-close">Закрыть</button></div><p class="error">' +
        esc(e.message) +
        '</p>';
      $('r-summary-title').focus();
      return;
    }
    if (seq !== summaries.seq.open || !box.isConnected) return;
    const same = summaries.open && summaries.open.id === s.id;
    summaries.open = s;
    summaries.history = history.items;
    if (quiet && same) {
      // After an approval: the heading and the history change; the figures and an open list stay.
      renderSummaryHead();
      renderSummaryHistory();
      return;
    }
    summaries.expanded = {};
    renderSummary();
    box.scrollIntoView({ block: 'start' });
    $('r-summary-title').focus();
  }
  function closeSummary() {
    const s = summaries.open;
    summaryDrill.close(true);
    summaries.open = null;
    summaries.seq.open++;
    $('r-summary').hidden = true;
    $('r-summary').innerHTML = '';
    if (summaries.opener && summaries.opener.isConnected) summaries.opener.focus();
    else if (s) focusKey($('r-list'), 'open:' + s.id);
  }
  function renderSummary() {
    const box = $('r-summary');
    box.hidden = false;
    box.innerHTML =
      '<div id="r-summary-head"></div>' +
      '<section id="r-drill" class="drill" hidden aria-label="Сообщения показателя"></section>' +
      '<div id="r-summary-body">' +
      summaries.open.sections.map((section) => summarySection(summaries.open, section)).join('') +
      disciplineSection(summaries.open.discipline) +
      engagementsSection(summaries.open.engagements) +
      '</div><div id="r-summary-history"></div>';
    renderSummaryHead();
    renderSummaryHistory();
  }
  function renderSummaryHead() {
    const s = summaries.open;
    const head = $('r-summary-head');
    const key = focusedKey(head);
    const generated = summaries.history.find((h) => h.type === 'generated');
    const approved = summaries.history.filter((h) => h.type === 'approved').pop();
    head.innerHTML =
      '<div class="drill-head"><h2 id="r-summary-title" tabindex="-1">Сводка: ' +
      esc(s.organizationName) +
      ' · ' +
      esc(monthTitle(s.year, s.month)) +
      ' · версия ' +
      s.version +
      '</h2><span class="chip report-' +
      esc(s.status) +
      '" id="r-summary-status">' +
      esc(REPORT_STATUSES[s.status] || s.status) +
      '</span><span class="row-actions">' +
      fileButtons(s, 'summary') +
      '</span><button id="r-summary-close" data-key="summary-close">Закрыть сводку</button></div>' +
      '<p class="muted">Данные на ' +
      esc(at(s.dataAsOf)) +
      ' (МСК)' +
      (generated ? ' · сформировал ' + esc(who(generated.actor)) : '') +
      (approved ? ' · утвердил ' + esc(who(approved.actor)) + ' ' + esc(at(approved.at)) : '') +
      '. Каждый показатель открывает список сообщений, которые он считает.</p><p id="r-summary-files" role="status"></p>';
    focusKey(head, key);
  }
  function summaryQuery(s, params) {
    const p = new URLSearchParams({ year: String(s.year), month: String(s.month) });
    if (s.organizationId) p.set('scopeOrganizationId', s.organizationId);
    for (const k in params) p.set(k, params[k] === null ? '' : String(params[k]));
    return p.toString();
  }
  /** A count of a table: it opens its list (a zero has none to open). */
  function countButton(n, query, title) {
    return n
      ? '<button class="num" data-drill="' + esc(query) + '" data-title="' + esc(title) + '" data-count="' + n + '">' + n + '</button>'
      : '<span class="muted">0</span>';
  }
  function figureCell(s, section, row, kind, key, params, label) {
    const v = row[key];
    if (kind === 'count')
      return countButton(v, summaryQuery(s, Object.assign({ section: section.key, figure: key }, params)), label + ': ' + FIGURE_LABELS[key].toLowerCase());
    if (v === null || v === undefined) return '<span class="muted">—</span>';
    if (kind === 'time') return esc(dec1.format(v));
    if (kind === 'rating') return esc(dec2.format(v));
    return esc(pct.format(v));
  }
  function summarySection(s, section) {
    const t = section.totals;
    const unit = TIME_UNITS[t.timeToAnswerUnit] || '';
    const short = SECTION_NAMES[section.key] || section.title;
    const cards = SUMMARY_FIGURES.map(
      ([key, label, definition]) =>
        '<div class="card drillable" role="button" tabindex="0" title="' +
        esc(definition) +
        '" data-card="' +
        esc(section.key + '-' + key) +
        '" data-count="' +
        t[key] +
        '" data-drill="' +
        esc(summaryQuery(s, { section: section.key, figure: key })) +
        '" data-title="' +
        esc(short + ': ' + label.toLowerCase()) +
        '"><div class="label">' +
        esc(label) +
        '</div><div class="figure">' +
        t[key] +
        '</div>' +
        (key === 'answeredOnTime' && t.answered ? '<div class="muted">' + esc(pct.format(t.answeredOnTime / t.answered)) + ' ответов</div>' : '') +
        '</div>',
    ).join('');
    const plain = (id, label, figure, note) =>
      '<div class="card" data-card="' +
      esc(section.key + '-' + id) +
      '"><div class="label">' +
      esc(label) +
      '</div><div class="figure">' +
      esc(figure) +
      '</div><div class="muted">' +
      esc(note) +
      '</div></div>';
    return (
      '<section class="summary-section" data-section="' +
      esc(section.key) +
      '" aria-labelledby="r-section-' +
      esc(section.key) +
      '"><h3 class="section-title" id="r-section-' +
      esc(section.key) +
      '">' +
      esc(section.title) +
      '</h3><div class="cards figures">' +
      cards +
      plain(
        'timeToAnswer',
        'Время ответа, медиана',
        t.timeToAnswerMedian === null ? '—' : dec1.format(t.timeToAnswerMedian) + ' ' + unit,
        t.timeToAnswerMean === null ? 'ответов не было' : 'среднее ' + dec1.format(t.timeToAnswerMean) + ' ' + unit,
      ) +
      plain(
        'ratingMean',
        'Средняя оценка',
        t.ratingMean === null ? '—' : dec2.format(t.ratingMean),
        t.ratingHighShare === null ? 'оценок не было' : 'оценок 4–5: ' + pct.format(t.ratingHighShare),
      ) +
      '</div>' +
      '<details class="summary-table"' +
      (section.byOrganization.length ? ' open' : '') +
      '><summary>По организациям (' +
      section.byOrganization.length +
      ')</summary>' +
      organizationTable(s, section, unit) +
      '</details><details class="summary-table"' +
      (section.byCategory.length ? ' open' : '') +
      '><summary>По категориям (' +
      section.byCategory.length +
      ')</summary><div id="r-categories-' +
      esc(section.key) +
      '">' +
      categoryTable(s, section, unit) +
      '</div></details></section>'
    );
  }
  function tableHead(first, unit) {
    return (
      '<thead><tr><th>' +
      first +
      '</th>' +
      SUMMARY_COLUMNS.map(
        ([, header, title, kind]) => '<th class="n" title="' + esc(kind === 'time' ? title + ', ' + unit : title) + '">' + esc(header) + '</th>',
      ).join('') +
      '</tr></thead>'
    );
  }
  function figureRow(s, section, label, row, params, cls, attrs) {
    return (
      '<tr' +
      (cls ? ' class="' + cls + '"' : '') +
      (attrs || '') +
      '><th scope="row">' +
      esc(label) +
      '</th>' +
      SUMMARY_COLUMNS.map(([key, , , kind]) => '<td class="n">' + figureCell(s, section, row, kind, key, params, label) + '</td>').join('') +
      '</tr>'
    );
  }
  function organizationTable(s, section, unit) {
    const rows = section.byOrganization;
    if (!rows.length) return '<p class="muted">Сообщений не было.</p>';
    return (
      '<div class="scroll"><table class="plain compact figures" data-table="organizations">' +
      tableHead('Организация', unit) +
      '<tbody>' +
      GROUP_ORDER.filter((g) => rows.some((r) => r.group === g))
        .map(
          (g) =>
            '<tr class="group"><th colspan="' +
            (SUMMARY_COLUMNS.length + 1) +
            '" scope="rowgroup">' +
            esc(GROUP_TITLES[g]) +
            '</th></tr>' +
            rows
              .filter((r) => r.group === g)
              .map((r) =>
                figureRow(s, section, r.organizationName, r, { organizationId: r.organizationId }, '', ' data-organization="' + esc(r.organizationId) + '"'),
              )
              .join(''),
        )
        .join('') +
      figureRow(s, section, 'Итого', section.totals, {}, 'totals') +
      '</tbody></table></div>'
    );
  }
  function categoryTable(s, section, unit) {
    const rows = section.byCategory;
    if (!rows.length) return '<p class="muted">Сообщений не было.</p>';
    const shown = summaries.expanded[section.key] ? rows : rows.slice(0, CATEGORY_ROWS);
    return (
      '<div class="scroll"><table class="plain compact figures" data-table="categories">' +
      tableHead('Категория', unit) +
      '<tbody>' +
      shown
        .map((r, i) =>
          figureRow(s, section, r.categoryName, r, { categoryCode: r.categoryCode }, '', i === CATEGORY_ROWS ? ' tabindex="-1" data-first-more' : ''),
        )
        .join('') +
      figureRow(s, section, 'Итого', section.totals, {}, 'totals') +
      '</tbody></table></div>' +
      (shown.length < rows.length
        ? '<button data-act="more-categories" data-section="' + esc(section.key) + '">ещё ' + (rows.length - shown.length) + '</button>'
        : '')
    );
  }
  function disciplineSection(d) {
    return (
      '<section class="summary-section" aria-labelledby="r-discipline-title"><h3 class="section-title" id="r-discipline-title">Дисциплинарные взыскания</h3>' +
      (d.items.length
        ? '<p>' +
          d.byMeasure.map((m) => '<span class="chip">' + esc(m.measureTitle) + ': ' + m.count + '</span>').join(' ') +
          '</p><div class="scroll"><table class="plain compact" id="r-discipline"><thead><tr><th>Работник</th><th>Должность</th><th>Организация</th><th>Взыскание</th><th>Основание</th><th>Приказ</th></tr></thead><tbody>' +
          d.items
            .map(
              (i) =>
                '<tr><td>' +
                esc(i.person) +
                '</td><td>' +
                esc(i.position || '—') +
                '</td><td>' +
                esc(i.organizationName) +
                '</td><td>' +
                esc(i.measureTitle) +
                '</td><td>' +
                esc(i.basis) +
                '</td><td>' +
                (i.orderNumber ? '№ ' + esc(i.orderNumber) : '—') +
                (i.orderDate ? ' от ' + esc(i.orderDate.split('-').reverse().join('.')) : '') +
                '</td></tr>',
            )
            .join('') +
          '</tbody></table></div>'
        : '<p class="muted">Взыскания в этом месяце не применялись.</p>') +
      '</section>'
    );
  }
  function engagementsSection(g) {
    const KINDS = { discussion: 'Обсуждение', vote: 'Голосование', survey: 'Опрос' };
    const day = (x) => (x ? x.split('-').reverse().join('.') : '—');
    return (
      '<section class="summary-section" aria-labelledby="r-engagements-title"><h3 class="section-title" id="r-engagements-title">Обсуждения, голосования и опросы</h3>' +
      (g.items.length
        ? '<div class="scroll"><table class="plain compact"><thead><tr><th>Вид</th><th>Тема</th><th>Организатор</th><th>Сроки</th><th>Участников</th><th>Итог</th><th>Дней до исполнения</th></tr></thead><tbody>' +
          g.items
            .map(
              (i) =>
                '<tr><td>' +
                esc(KINDS[i.kind] || i.kind) +
                '</td><td>' +
                esc(i.title) +
                '</td><td>' +
                esc(i.organizer) +
                '</td><td>' +
                esc(day(i.startsOn) + ' — ' + day(i.endsOn)) +
                '</td><td>' +
                esc(i.participants) +
                '</td><td>' +
                esc(i.result || '—') +
                '</td><td>' +
                esc(i.daysToAct === null ? '—' : i.daysToAct) +
                '</td></tr>',
            )
            .join('') +
          '</tbody></table></div>'
        : '') +
      (g.note ? '<p class="muted" id="r-engagements-note">' + esc(g.note) + '</p>' : '') +
      '</section>'
    );
  }
  function renderSummaryHistory() {
    const TITLES = { generated: 'Сформирована', approved: 'Утверждена' };
    $('r-summary-history').innerHTML =
      '<h3 class="section-title">История</h3><table class="history" id="r-history"><tbody>' +
      summaries.history
        .map((h) => {
          const data = h.data || {};
          return (
            '<tr><td>' +
            esc(at(h.at)) +
            '</td><td><b>' +
            esc(TITLES[h.type] || h.type) +
            (data.version ? ' (версия ' + esc(data.version) + ')' : '') +
            '</b>' +
            (data.late ? ' <span class="error">' + esc(lateText(data.late).replace('Утверждена с опозданием', 'с опозданием')) + '</span>' : '') +
            '<br><small class="muted">' +
            esc(who(h.actor)) +
            '</small>' +
            (h.reason ? '<br><small>' + esc(h.reason) + '</small>' : '') +
            '</td></tr>'
          );
        })
        .join('') +
      '</tbody></table>';
  }
  function moreCategories(key) {
    const s = summaries.open;
    const section = s && s.sections.find((x) => x.key === key);
    if (!section) return;
    summaries.expanded[key] = true;
    $('r-categories-' + key).innerHTML = categoryTable(s, section, TIME_UNITS[section.totals.timeToAnswerUnit] || '');
    const first = $('r-categories-' + key).querySelector('[data-first-more]');
    if (first) first.focus();
  }

  // The league table: LeagueTable.
  function ratingQuery() {
    const { year, month } = splitMonth(summaries.month);
    const r = summaries.rating;
    const p = new URLSearchParams({ period: r.period, year: String(year) });
    if (r.period === 'month') p.set('month', String(month));
    else p.set('quarter', String(Math.ceil(month / 3)));
    p.set('section', r.section);
    return p.toString();
  }
  async function loadRatings() {
    const seq = ++summaries.seq.ratings;
    let res;
    let body = {};
    try {
      res = await api('/api/v1/reports/ratings?' + ratingQuery());
      body = await res.json().catch(() => ({}));
    } catch (e) {
      if (seq === summaries.seq.ratings && $('r-ratings')) $('r-ratings').innerHTML = '<p class="error">Рейтинг недоступен: ' + esc(e.message) + '</p>';
      return;
    }
    const box = $('r-ratings');
    if (seq !== summaries.seq.ratings || !box) return;
    if (!res.ok) {
      $('r-ratings-scope').textContent = '';
      box.innerHTML = '<p class="error">Рейтинг недоступен: ' + esc(problem(body)) + '</p>';
      return;
    }
    $('r-ratings-scope').textContent = (body.period ? body.period.title : '') + (body.dataAsOf ? ' · данные на ' + at(body.dataAsOf) : '');
    const number = (x) => (x === null || x === undefined ? '—' : dec1.format(x));
    const change = (r) => {
      const c = r.change;
      if (!c) return '<span class="muted">—</span>';
      const parts = [];
      if (c.index !== null && c.index !== undefined)
        parts.push(
          '<span class="' + (c.index > 0 ? 'ok' : c.index < 0 ? 'error' : 'muted') + '">' + (c.index > 0 ? '+' : '') + esc(dec1.format(c.index)) + '</span>',
        );
      if (c.rank)
        parts.push('<span class="muted">' + (c.rank > 0 ? '↑' : '↓') + Math.abs(c.rank) + ' ' + (Math.abs(c.rank) === 1 ? 'место' : 'мест.') + '</span>');
      return parts.join(' ') || '<span class="muted">—</span>';
    };
    const groups = body.groups || [];
    box.innerHTML =
      (groups.length
        ? groups
            .map(
              (g) =>
                '<h4>' +
                esc(g.title) +
                '</h4><div class="scroll"><table class="plain compact" data-group="' +
                esc(g.id) +
                '"><thead><tr><th>Место</th><th>Организация</th><th class="n">Индекс</th><th>Изменение</th><th>Примечание</th></tr></thead><tbody>' +
                (g.rows || [])
                  .map(
                    (r) =>
                      '<tr' +
                      (auth.me.organization && r.organizationId === auth.me.organization.id ? ' class="mine"' : '') +
                      '><td>' +
                      (r.rank === null || r.rank === undefined ? '<span class="muted">—</span>' : esc(r.rank)) +
                      '</td><td>' +
                      esc(r.organizationName) +
                      '</td><td class="n">' +
                      esc(number(r.index)) +
                      '</td><td>' +
                      change(r) +
                      '</td><td><small class="muted">' +
                      esc(r.note || '') +
                      '</small></td></tr>',
                  )
                  .join('') +
                '</tbody></table></div>',
            )
            .join('')
        : '<p class="muted">Рейтинг за этот период пуст.</p>') +
      (body.formula && body.formula.text ? '<details><summary>Как считается индекс</summary><p>' + esc(body.formula.text) + '</p></details>' : '');
  }

  /** Esc in the summaries (outside the approval form, which closes itself): the open list of messages, else the approval form; false: nothing to close here. */
  function summariesEscape() {
    if (summaryDrill.isOpen()) {
      summaryDrill.close();
      return true;
    }
    if (summaries.approving) {
      cancelApproval();
      return true;
    }
    return false;
  }
  const reportsView = $('reports-view');
  reportsView.addEventListener('submit', (e) => {
    if (e.target.id === 'r-form') {
      e.preventDefault();
      generateSummary();
    } else if (e.target.id === 'r-approve-form') {
      e.preventDefault();
      approveSummary(e.target.dataset.id);
    }
  });
  reportsView.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    const act = b.dataset.act;
    if (b.id === 'r-summary-close') closeSummary();
    else if (act === 'open') openSummary(b.dataset.id, b);
    else if (act === 'file') {
      const r = summaries.items.find((x) => x.id === b.dataset.id) || summaries.open;
      const version = r && r.id === b.dataset.id ? '-v' + r.version : '';
      download(
        '/api/v1/reports/monthly/' + b.dataset.id + '/file?format=' + b.dataset.format,
        'svodka' + version + '.' + b.dataset.format,
        b,
        $('r-summary') && $('r-summary').contains(b) ? 'r-summary-files' : 'r-list-status',
      );
    } else if (act === 'approve') startApproval(b.dataset.id);
    else if (act === 'cancel-approval') cancelApproval();
    else if (act === 'more-categories') moreCategories(b.dataset.section);
    else if (act === 'rating-file')
      download('/api/v1/reports/ratings/file?format=' + b.dataset.format + '&' + ratingQuery(), 'ratings.' + b.dataset.format, b, 'r-ratings-status');
  });
  reportsView.addEventListener('change', (e) => {
    if (e.target.id === 'r-month') {
      clearFieldErrors(['r-month']);
      if (!/^\d{4}-\d{2}$/.test(e.target.value) || e.target.value === summaries.month) return;
      summaries.month = e.target.value;
      summaries.approving = null;
      summaries.fresh = null;
      say('r-list-status', '', '');
      say('r-result', '', '');
      refreshSummaries();
    } else if (e.target.name === 'r-rating-period') {
      summaries.rating.period = e.target.value;
      loadRatings();
    } else if (e.target.id === 'r-rating-section') {
      summaries.rating.section = e.target.value;
      loadRatings();
    }
  });
  reportsView.addEventListener('keydown', (e) => {
    // Esc in the approval form closes the form (the layer being typed in), not the field alone.
    if (e.key === 'Escape' && e.target.closest && e.target.closest('#r-approve-form')) {
      e.stopPropagation();
      cancelApproval();
    }
  });

  // ---- users (admins) ----
  const ROLE_NAMES = {
    operator: 'Оператор ЦУР',
    executor: 'Исполнитель',
    head: 'Руководитель',
    supervisor: 'Контролёр',
    organizer: 'Организатор обсуждений',
    admin: 'Администратор',
  };
  async function users() {
    const view = $('users-view');
    try {
      const list = await getJson('/api/v1/users');
      view.innerHTML =
        '<form id="user-form" class="card actions"><h2>Новый пользователь</h2>' +
        '<div class="row"><label>Логин <input id="u-login" required></label><label>Имя <input id="u-name" required></label><label>Пароль (не короче 10 символов) <input id="u-password" type="password" autocomplete="new-password" required></label></div>' +
        '<div class="row">' +
        Object.entries(ROLE_NAMES)
          .map(
            ([r, t]) =>
              '<label style="flex:0 0 auto;flex-direction:row;gap:4px"><input type="checkbox" name="u-role" value="' + r + '"> ' + esc(t) + '</label>',
          )
          .join('') +
        '</div>' +
        '<div class="row"><label>Организация <select id="u-org"><option value="">—</option>' +
        orgOptions() +
        '</select></label><label>Причина (обязательна для оператора, исполнителя, руководителя: они видят персональные данные) <input id="u-reason"></label><button class="primary" type="submit">Создать</button></div><p id="u-result" role="status"></p></form>' +
        '<table class="plain" id="users"><thead><tr><th>Логин</th><th>Имя</th><th>Роли</th><th>Организация</th><th>Активен</th><th></th></tr></thead><tbody>' +
        list
          .map(
            (u) =>
              '<tr data-login="' +
              esc(u.login) +
              '"><td>' +
              esc(u.login) +
              (u.demo ? ' <span class="chip">демо</span>' : '') +
              '</td><td>' +
              esc(u.displayName) +
              '</td><td>' +
              esc(u.roleTitles.join(', ')) +
              '</td><td>' +
              esc(u.organization ? u.organization.name : '—') +
              '</td><td>' +
              (u.active ? 'да' : 'нет') +
              '</td>' +
              '<td>' +
              (u.login === auth.me.login
                ? ''
                : '<button class="user-toggle" data-id="' +
                  esc(u.id) +
                  '" data-active="' +
                  u.active +
                  '">' +
                  (u.active ? 'Отключить' : 'Включить') +
                  '</button>') +
              '</td></tr>',
          )
          .join('') +
        '</tbody></table>';
    } catch (e) {
      view.innerHTML = '<p class="error">' + esc(e.message) + '</p>';
    }
  }
  $('users-view').addEventListener('submit', async (e) => {
    if (e.target.id !== 'user-form') return;
    e.preventDefault();
    const roles = [...document.querySelectorAll('input[name="u-role"]:checked')].map((x) => x.value);
    const body = { login: $('u-login').value.trim(), displayName: $('u-name').value.trim(), roles, password: $('u-password').value };
    if ($('u-org').value) body.organizationId = $('u-org').value;
    if ($('u-reason').value.trim()) body.reason = $('u-reason').value.trim();
    const res = await post('/api/v1/users', body);
    if (!res.ok) {
      $('u-result').className = 'error';
      $('u-result').textContent = problem(res.body);
      return;
    }
    await users();
    $('u-result').className = 'ok';
    $('u-result').textContent = 'Создан пользователь ' + res.body.login;
  });
  $('users-view').addEventListener('click', async (e) => {
    const b = e.target.closest('button.user-toggle');
    if (!b) return;
    const active = b.dataset.active !== 'true';
    const res = await api('/api/v1/users/' + b.dataset.id, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ active, reason: active ? 'Включён администратором' : 'Отключён администратором' }),
    });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      alert(problem(body));
      return;
    }
    users();
  });

  // ---- keyboard ----
  document.addEventListener('keydown', (e) => {
    if (!auth.me || e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
    if (e.key === 'Escape' && state.view === 'monitoring' && monitorDrill.isOpen() && !typing) {
      monitorDrill.close();
      return;
    }
    if (e.key === 'Escape' && state.view === 'reports' && !typing && summariesEscape()) return;
    if (e.key === 'Escape') {
      if (typing) document.activeElement.blur();
      else {
        state.selected = null;
        state.message = null;
        $('detail').innerHTML = '';
        history.replaceState(null, '', '/');
        render();
      }
      return;
    }
    if (typing) return;
    const list = VIEWS[state.view] && VIEWS[state.view].list;
    if (list && (e.key === 'j' || e.key === 'ArrowDown' || e.key === 'k' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const step = e.key === 'j' || e.key === 'ArrowDown' ? 1 : -1;
      state.index = Math.max(0, Math.min(state.items.length - 1, state.index + step));
      render();
      const tr = document.querySelector('tr.row.selected');
      if (tr) tr.scrollIntoView({ block: 'nearest' });
    } else if (list && e.key === 'Enter' && state.items[state.index]) {
      open(state.items[state.index].id);
    } else if (e.key === 'r') {
      if (list) load(false);
      else if (state.view === 'control') control();
      else if (state.view === 'monitoring') loadMonitoring();
      else if (state.view === 'reports') refreshSummaries();
    } else if (e.key === 'a' && $('a-text')) {
      e.preventDefault();
      $('a-text').focus();
    } else if (e.key === 'c' && $('a-category')) {
      e.preventDefault();
      $('a-category').focus();
    } else if (e.key === 't') {
      const b = document.querySelector('button.act[data-act="take"]');
      if (b) b.click();
    } else if (e.key === '?') $('keys').showModal();
  });

  // ---- notices: what the caller's roles must know about the system (a missing calendar, training) ----
  async function notices() {
    if (!auth.me) return;
    try {
      const list = await getJson('/api/v1/notices');
      $('notices').innerHTML = list.items
        .map(
          (n) =>
            '<div class="notice ' +
            esc(n.severity) +
            '" role="' +
            (n.severity === 'info' ? 'status' : 'alert') +
            '" data-notice="' +
            esc(n.id) +
            '"><b>' +
            esc(n.title) +
            '</b> ' +
            esc(n.text) +
            '</div>',
        )
        .join('');
    } catch (e) {
      /* notices are advisory; the next refresh tries again */
    }
  }

  // ---- start ----
  async function start() {
    auth.me = await getJson('/api/v1/auth/me');
    state.catalog = state.catalog || (await getJson('/api/v1/catalog'));
    $('f-category').innerHTML =
      '<option value="">все</option>' +
      state.catalog.categories
        .map((c) => '<option value="' + esc(c.code) + '">' + esc(c.name) + (c.rubricator === 'im' ? ' (соцсети)' : '') + '</option>')
        .join('');
    $('f-territory').innerHTML =
      '<option value="">все</option>' + state.catalog.territories.map((t) => '<option value="' + esc(t.id) + '">' + esc(t.name) + '</option>').join('');
    $('login').hidden = true;
    $('main').hidden = false;
    $('user').hidden = false;
    $('user-name').textContent = auth.me.name + ' (' + auth.me.roleTitles.join(', ') + ')';
    $('user-org').textContent = auth.me.organization ? auth.me.organization.name : '';
    const views = tabs();
    go(views.includes(state.view) ? state.view : views[0]);
    route();
    notices();
  }
  setInterval(() => {
    if (auth.me && !document.hidden) notices();
  }, 30000);
  setInterval(() => {
    if (auth.me && VIEWS[state.view] && VIEWS[state.view].list && state.items.length <= 50 && !document.hidden) load(false);
  }, 15000);
  // A session from the cookie, if this browser has one: a deep link (#/messages/<id>) then opens at once.
  renew()
    .then((ok) => (ok ? start() : showLogin()))
    .catch(() => showLogin());
})();

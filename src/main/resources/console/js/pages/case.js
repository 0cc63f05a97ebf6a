// One case (#/cases/:id): what the citizen wrote (with their images), the reply composer (canned replies, links to
// published documents), each reply's delivery, the timeline, and the actions the API allows this person now.
import {
  h, reactive, ref, defineComponent, onMounted, onUnmounted, button, textInput, selectInput, errorBox, loadingBox,
  section, badge, link, toast, Modal, formatTime, problemText,
} from '../ui.js';
import { get, postJson, call, query, newKey } from '../api.js';
import * as live from '../live.js';
import { has } from '../session.js';
import { prepare } from '../workdays.js';
import {
  CHANNEL, CATEGORY, ROUTE, DELIVERY, DELIVERY_TONE, statusBadge, flagBadges, deadlineCell, minuteClock, departments,
  departmentName, me,
} from './inbox-shared.js';

const STEP = {
  received: '受理', acknowledged: '发送受理回执', queued: '进入分拨队列', routed: '按规则分办', assigned: '分派',
  assign: '分派', claim: '签收', transfer: '转办', return: '退回分拨', pause: '暂停计时', resume: '恢复计时',
  close: '办结', reopen: '重新办理', release: '放行', held: '待人工复核', message: '群众追加留言', merged: '合并留言',
  linked: '关联热点问题', reply: '答复', replied: '答复', answered: '已答复', delivered: '答复已送达',
  'delivery-failed': '答复未送达', redeliver: '重新发送答复', reached: '登记其他方式送达', rate: '评价', rated: '评价',
  note: '备注', reminder: '期限提醒', last_day: '最后一个工作日提醒', overdue: '超期转督办',
  extension_requested: '申请延期', extension_approved: '批准延期', extension_refused: '不批准延期',
  extension_notice: '告知群众新的答复日期', deadline_recomputed: '重新计算期限', published: '公开答复',
  'supervisor-decision': '待督办决定', follow_up: '回访', 'follow-up': '回访',
};
const REPLY_STATUS = { draft: '草稿', pending_review: '待审核', rejected: '审核退回', sending: '正在发送', sent: '已发出' };
const HOW = [{ value: 'phone', label: '电话' }, { value: 'sms', label: '短信' }, { value: 'letter', label: '信函' },
  { value: 'visit', label: '当面' }, { value: 'other', label: '其他' }];
const RATING = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };

/** A delivery ends without an event: while one is under way the page reads the case every 3 s, for 2 minutes at most. */
const POLL_EVERY = 3000;
const POLL_FOR = 120000;

/** Whether a reply of the case is still on its way to the citizen. */
function delivering(c) {
  return (c.replies || []).some((r) => ['sending', 'pending'].includes(r.status)
    || (r.delivery && ['sending', 'pending'].includes(r.delivery.status)));
}

/** The pending extension request of a case, from its history (asked and not yet decided), or null. */
function pendingExtension(c) {
  const steps = c.history || [];
  const decided = new Set(steps.filter((s) => s.action === 'extension_approved' || s.action === 'extension_refused')
    .map((s) => s.note));
  const asked = steps.filter((s) => s.action === 'extension_requested' && !decided.has(s.note));
  return asked.length > 0 ? asked[asked.length - 1] : null;
}

/** An image the citizen sent: loaded with the staff token (citizens' images are not library assets). */
const Attachment = defineComponent({
  name: 'CaseAttachment',
  props: { id: String, index: Number },
  setup(props) {
    const url = ref(null);
    const failed = ref(false);
    let made = null;
    onMounted(async () => {
      if (props.id.includes(':')) return;
      try {
        const response = await call('GET', `/media/${encodeURIComponent(props.id)}`, undefined, { raw: true });
        made = URL.createObjectURL(await response.blob());
        url.value = made;
      } catch (e) {
        failed.value = true;
      }
    });
    onUnmounted(() => { if (made) URL.revokeObjectURL(made); });
    return () => {
      if (props.id.includes(':')) {
        return h('span', { class: 'attachment muted' }, '微信图片（尚未取回）');
      }
      if (failed.value) return h('span', { class: 'attachment muted' }, '图片无法加载');
      return url.value
        ? h('a', { href: url.value, target: '_blank', rel: 'noopener', class: 'attachment' },
          h('img', { src: url.value, alt: `群众发送的图片 ${props.index + 1}` }))
        : h('span', { class: 'attachment muted' }, '正在加载图片…');
    };
  },
});

export default defineComponent({
  name: 'CasePage',
  props: { params: Object, query: Object },
  setup(props) {
    const person = me();
    const id = props.params.id;
    const state = reactive({ c: null, error: null, loading: true, notFound: false });
    const names = ref(new Map());
    const now = minuteClock();
    const busy = ref('');
    const dialog = reactive({ open: false, kind: '', title: '', reason: '', departmentId: '', days: '3', how: 'phone',
      note: '', replyId: '', error: null });
    const composer = reactive({ text: '', canned: '', documents: [], search: '', hits: [], searching: false,
      error: null, findings: [], key: null, sentBody: null });
    const canned = ref([]);
    const staff = ref([]);

    let gone = false;
    let poll = null;
    let pollUntil = 0;

    async function load() {
      try {
        const c = await get(`/api/v1/cases/${encodeURIComponent(id)}`);
        await prepare([c.dueDate]);
        state.c = c;
        state.error = null;
        state.notFound = false;
      } catch (e) {
        if (e.status === 404) state.notFound = true;
        else state.error = e;
      } finally {
        state.loading = false;
        follow();
      }
    }

    /** Reads the case again in 3 s while a reply is being delivered, until 2 minutes after the delivery was seen. */
    function follow() {
      clearTimeout(poll);
      poll = null;
      if (gone || !state.c || !delivering(state.c)) {
        pollUntil = 0;
        return;
      }
      if (!pollUntil) pollUntil = Date.now() + POLL_FOR;
      if (Date.now() < pollUntil) poll = setTimeout(load, POLL_EVERY);
    }

    const off = [
      ...['case.assigned', 'case.status', 'case.returned', 'case.overdue', 'case.message', 'case.extension',
        'case.reply-review', 'case.rated'].map((type) => live.on(type, (data) => {
        if (data && data.caseId === id && !busy.value) load();
      })),
      // The server sends reset when it cannot replay what a long disconnect missed.
      live.on('reset', () => { if (!busy.value) load(); }),
    ];
    onUnmounted(() => {
      gone = true;
      clearTimeout(poll);
      off.forEach((stop) => stop());
    });

    onMounted(async () => {
      await load();
      try { names.value = await departments(); } catch (e) { /* names stay unknown */ }
      if (state.c && worker()) {
        try {
          canned.value = (await get(`/api/v1/canned-replies${query({ limit: 100 })}`)).items;
        } catch (e) { canned.value = []; }
      }
      if (state.c && steers()) {
        try {
          staff.value = (await get(`/api/v1/staff${query({ limit: 200 })}`)).items;
        } catch (e) { staff.value = []; }
      }
    });

    const c = () => state.c;
    const memberOf = (departmentId) => !!departmentId && (person.roles || []).includes('replier')
      && (person.departmentIds || []).includes(departmentId);
    const steers = () => has('dispatcher', 'supervisor');
    const worker = () => memberOf(c().departmentId) || steers();
    const heads = () => (person.headOf || []).includes(c().departmentId) || has('supervisor');
    const open = (...statuses) => statuses.includes(c().status);

    /** Runs an action; 409/412 mean someone changed the case: say so and show it as it is now. */
    async function act(label, run) {
      busy.value = label;
      try {
        const answer = await run();
        toast(`${label}成功`);
        await load();
        return answer;
      } catch (e) {
        if (e.status === 409 && (e.code === 'case-changed' || e.code === 'version-mismatch') || e.status === 412) {
          toast('该留言已被他人更改，已重新加载，请确认后再操作', 'error');
          await load();
        } else {
          toast(problemText(e), 'error');
        }
        throw e;
      } finally {
        busy.value = '';
      }
    }

    const action = (name, body, label) => act(label,
      () => postJson(`/api/v1/cases/${encodeURIComponent(id)}/${name}`, body));

    function ask(kind, title, extra = {}) {
      Object.assign(dialog, { open: true, kind, title, reason: '', note: '', error: null, departmentId: '', days: '3',
        how: 'phone', replyId: '', ...extra });
    }

    async function submitDialog(e) {
      e.preventDefault();
      const reason = dialog.reason.trim();
      const runs = {
        transfer: () => action('transfer', { departmentId: dialog.departmentId, reason }, '转办'),
        return: () => action('return', { reason }, '退回'),
        pause: () => action('pause', { reason }, '暂停计时'),
        close: () => action('close', reason ? { reason } : {}, '办结'),
        reopen: () => action('reopen', { reason }, '重新打开'),
        extend: () => action('extend', { days: Number(dialog.days), reason }, '申请延期'),
        refuse: () => action('approve-extension', { approved: false, note: reason || undefined }, '不批准延期'),
        assignee: () => action('assign', { assigneeId: dialog.departmentId }, '指定办理人'),
        reject: () => act('退回答复', () => postJson(`/api/v1/cases/${encodeURIComponent(id)}/replies/${dialog.replyId}/reject`,
          { reason })),
        reached: () => act('登记送达', () => postJson(`/api/v1/cases/${encodeURIComponent(id)}/replies/${dialog.replyId}/reached`,
          { how: dialog.how, note: reason })),
      };
      try {
        await runs[dialog.kind]();
        dialog.open = false;
        if (state.notFound && ['transfer', 'return'].includes(dialog.kind)) {
          window.location.hash = '#/inbox';  // the case left this person's departments
        }
      } catch (failure) {
        dialog.error = failure;
      }
    }

    // Replying

    async function search() {
      const q = composer.search.trim();
      if (!q) return;
      composer.searching = true;
      try {
        composer.hits = (await get(`/api/v1/search${query({ q, kind: 'document', limit: 10 })}`)).items
          .concat((await get(`/api/v1/search${query({ q, kind: 'interpretation', limit: 5 })}`)).items);
        if (composer.hits.length === 0) toast('没有找到相关文件', 'ok');
      } catch (e) {
        toast(problemText(e), 'error');
      } finally {
        composer.searching = false;
      }
    }

    function insertCanned() {
      const chosen = canned.value.find((r) => r.id === composer.canned);
      if (!chosen) return;
      composer.text = composer.text ? `${composer.text}\n${chosen.text}` : chosen.text;
      composer.cannedId = chosen.id;
    }

    function insertDocument(hit) {
      if (!composer.documents.some((d) => d.id === hit.id)) {
        composer.documents.push({ id: hit.id, title: hit.title, kind: hit.kind });
      }
    }

    async function send(draft) {
      const body = { text: composer.text.trim(), documentIds: composer.documents.map((d) => d.id), draft };
      if (composer.cannedId) body.cannedReplyId = composer.cannedId;
      const fingerprint = JSON.stringify(body);
      if (composer.sentBody !== fingerprint) {
        composer.key = newKey();  // a retried click of the same reply carries the same key
        composer.sentBody = fingerprint;
      }
      composer.error = null;
      composer.findings = [];
      try {
        const reply = await act(draft ? '保存草稿' : '发送答复', () => call('POST',
          `/api/v1/cases/${encodeURIComponent(id)}/reply`, body, { idempotencyKey: composer.key }));
        if (!draft) {
          Object.assign(composer, { text: '', documents: [], canned: '', cannedId: null, key: null, sentBody: null });
        }
        if (reply && reply.status === 'sending') {
          pollUntil = 0;  // a new delivery: followed for 2 minutes of its own
          follow();
        }
      } catch (e) {
        composer.error = e;
        composer.findings = (e.problem && e.problem.findings) || [];
      }
    }

    // Rendering

    const facts = () => {
      const x = c();
      const contact = x.contact || {};
      const citizen = [contact.name, contact.phone, x.citizen && x.citizen.nickname].filter(Boolean).join('，');
      return h('dl', { class: 'facts case-facts' }, [
        h('dt', '状态'), h('dd', { class: 'badges' }, [statusBadge(x.status), x.urgency === 'urgent' ? badge('紧急', 'danger') : null,
          ...flagBadges(x.flags)]),
        h('dt', '答复期限'), h('dd', deadlineCell(x, now.value)),
        h('dt', '渠道'), h('dd', CHANNEL[x.channel] || x.channel),
        h('dt', '类别'), h('dd', CATEGORY[x.category] || x.category),
        h('dt', '办理部门'), h('dd', departmentName(names.value, x.departmentId)),
        h('dt', '办理人'), h('dd', x.assigneeId ? (x.assigneeId === person.id ? '本人' : assigneeName(x)) : '未指定'),
        h('dt', '群众'), h('dd', citizen || '（未留联系方式）'),
        h('dt', '受理时间'), h('dd', formatTime(x.receivedAt || x.createdAt)),
        x.lastReturn ? h('dt', '最近退回') : null,
        x.lastReturn ? h('dd', `${x.lastReturn.byName || ''}：${x.lastReturn.reason || ''}`) : null,
      ]);
    };

    const assigneeName = (x) => {
      const known = staff.value.find((s) => s.id === x.assigneeId);
      if (known) return known.displayName;
      const step = [...(x.history || [])].reverse().find((s) => s.by === x.assigneeId && s.byName);
      return step ? step.byName : '已指定';
    };

    const actions = () => {
      const x = c();
      const buttons = [];
      const add = (label, onClick, kind) => buttons.push(button(busy.value === label ? `正在${label}…` : label, onClick,
        { kind, disabled: !!busy.value }));
      if (open('assigned') && memberOf(x.departmentId)) add('认领', () => action('claim', {}, '认领').catch(() => {}), 'primary');
      if (open('assigned', 'in_progress') && worker()) {
        add('转办', () => ask('transfer', '转办到其他部门'));
        add('退回', () => ask('return', '退回分拨'));
        add('暂停计时', () => ask('pause', '暂停计时'));
      }
      if (open('paused') && worker()) add('恢复计时', () => action('resume', {}, '恢复计时').catch(() => {}));
      const pending = pendingExtension(x);
      if (open('assigned', 'in_progress', 'paused') && !pending
        && (memberOf(x.departmentId) || x.assigneeId === person.id)) add('申请延期', () => ask('extend', '申请延期'));
      if (pending && heads() && pending.by !== person.id) {
        add('批准延期', () => action('approve-extension', { approved: true }, '批准延期').catch(() => {}), 'primary');
        add('不批准延期', () => ask('refuse', '不批准延期'));
      }
      if (open('assigned', 'in_progress') && steers()) add('指定办理人', () => ask('assignee', '指定办理人'));
      if (open('dispatching', 'assigned', 'in_progress', 'paused', 'answered') && worker()) {
        add('办结', () => ask('close', '办结'));
      }
      if (open('answered', 'closed') && steers()) add('重新打开', () => ask('reopen', '重新打开'));
      return h('div', [
        pending ? h('p', { class: 'alert alert-warn' }, `延期申请待审批：${pending.byName || ''}，${pending.reason || ''}`) : null,
        buttons.length ? h('div', { class: 'toolbar case-actions' }, buttons) : h('p', { class: 'muted' }, '当前没有可执行的操作。'),
      ]);
    };

    const messages = () => {
      const x = c();
      return h('ol', { class: 'messages' }, (x.messages || []).map((m, i) => h('li', { class: 'message' }, [
        h('p', { class: 'muted' }, formatTime(m.at)),
        h('p', { class: 'message-text' }, m.text),
        (m.attachments || []).length ? h('div', { class: 'attachments' }, m.attachments.map((a, n) => h(Attachment,
          { key: a, id: a, index: n }))) : null,
        m.withheld ? h('p', { class: 'alert alert-warn' }, `另有 ${m.withheld} 张图片未通过微信内容安全检测，已隐藏`) : null,
      ])));
    };

    const composerView = () => h('form', { class: 'composer', onSubmit: (e) => { e.preventDefault(); send(false); } }, [
      canned.value.length ? h('div', { class: 'row' }, [
        selectInput('常用答复', composer, 'canned', [{ value: '', label: '选择常用答复' },
          ...canned.value.map((r) => ({ value: r.id, label: r.title }))]),
        h('div', { class: 'field' }, button('插入常用答复', insertCanned, { disabled: !composer.canned })),
      ]) : null,
      h('div', { class: 'row' }, [
        textInput('搜索已发布文件', composer, 'search', { placeholder: '输入文件标题关键词' }),
        h('div', { class: 'field' }, button(composer.searching ? '正在搜索…' : '搜索文件', search,
          { disabled: composer.searching })),
      ]),
      composer.hits.length ? h('ul', { class: 'hits', 'aria-label': '搜索结果' }, composer.hits.map((hit) => h('li', [
        h('span', hit.title), ' ',
        button('插入链接', () => insertDocument(hit), { class: 'btn-small', ariaLabel: `插入链接：${hit.title}` }),
      ]))) : null,
      composer.documents.length ? h('div', { class: 'linked' }, [
        h('p', '答复将附上以下文件的链接：'),
        h('ul', composer.documents.map((d) => h('li', [`《${d.title}》 `,
          button('移除', () => { composer.documents = composer.documents.filter((x) => x.id !== d.id); },
            { class: 'btn-small', ariaLabel: `移除链接：${d.title}` })]))),
      ]) : null,
      textInput('答复内容', composer, 'text', { multiline: true, rows: 6, maxlength: 2000, required: true }),
      composer.error ? errorBox(composer.error) : null,
      composer.findings.length ? h('ul', { class: 'findings' }, composer.findings.map((f) => h('li',
        `${f.message || f.title || f.rule || ''}${f.text ? `：${f.text}` : ''}`))) : null,
      h('div', { class: 'toolbar' }, [
        button(busy.value === '发送答复' ? '正在发送…' : '发送答复', null, { type: 'submit', kind: 'primary',
          disabled: !!busy.value || !composer.text.trim() }),
        button('保存草稿', () => send(true), { disabled: !!busy.value || !composer.text.trim() }),
      ]),
    ]);

    const deliveryView = (d) => h('div', { class: 'delivery' }, [
      h('span', '送达：'), badge(`${ROUTE[d.route] || d.route} · ${DELIVERY[d.status] || d.status}`,
        DELIVERY_TONE[d.status] || 'info'),
      d.at ? h('span', { class: 'muted' }, ` ${formatTime(d.at)}`) : null,
      (d.attempts || []).length > 1 ? h('ul', { class: 'attempts' }, d.attempts.map((a) => h('li',
        `${ROUTE[a.route] || a.route}：${a.ok ? '成功' : `失败${a.error ? `（${a.error}）` : ''}`}`))) : null,
    ]);

    const replies = () => {
      const x = c();
      const list = x.replies || [];
      if (list.length === 0) return h('p', { class: 'muted' }, '尚未答复。');
      return h('ol', { class: 'replies' }, list.map((r) => h('li', { class: 'reply' }, [
        h('p', { class: 'badges' }, [badge(REPLY_STATUS[r.status] || r.status, r.status === 'sent' ? 'ok' : 'info'),
          h('span', { class: 'muted' }, ` ${r.authorName || ''} ${formatTime(r.sentAt || r.updatedAt || r.createdAt)}`)]),
        h('p', { class: 'reply-text' }, r.text),
        (r.documents || []).length ? h('ul', r.documents.map((d) => h('li', [`《${d.title}》 `,
          h('a', { href: d.url, target: '_blank', rel: 'noopener' }, d.url)]))) : null,
        r.delivery ? deliveryView(r.delivery) : null,
        r.reached ? h('p', { class: 'muted' }, `已通过其他方式告知：${r.reached.note || ''}`) : null,
        r.review && r.review.note ? h('p', { class: 'muted' }, `审核意见：${r.review.note}`) : null,
        h('div', { class: 'toolbar' }, [
          r.delivery && r.delivery.status === 'failed' && worker() ? button('重新发送', () => act('重新发送',
            () => postJson(`/api/v1/cases/${encodeURIComponent(id)}/replies/${r.id}/redeliver`)).catch(() => {}),
          { disabled: !!busy.value }) : null,
          r.delivery && r.delivery.status === 'failed' && !r.reached && worker()
            ? button('登记其他方式送达', () => ask('reached', '登记其他方式送达', { replyId: r.id })) : null,
          r.status === 'pending_review' && heads() && r.authorId !== person.id ? button('审核通过', () => act('审核通过',
            () => postJson(`/api/v1/cases/${encodeURIComponent(id)}/replies/${r.id}/approve`)).catch(() => {}),
          { kind: 'primary', disabled: !!busy.value }) : null,
          r.status === 'pending_review' && heads() && r.authorId !== person.id
            ? button('退回答复', () => ask('reject', '退回答复', { replyId: r.id })) : null,
        ]),
      ])));
    };

    const timeline = () => {
      const x = c();
      const steps = (x.history || []).map((s) => ({ at: s.at, text: [
        STEP[s.action] || s.action,
        s.byName ? `（${s.byName}）` : s.by === 'system' ? '（系统）' : s.by === 'citizen' ? '（群众）' : '',
        s.departmentId && ['assign', 'assigned', 'transfer', 'routed', 'return'].includes(s.action)
          ? ` → ${departmentName(names.value, s.departmentId)}` : '',
        s.reason ? `：${s.reason}` : '',
      ].join('') }));
      (x.acknowledgements || []).forEach((d) => steps.push({ at: d.at, text: `受理回执${ROUTE[d.route] || d.route}：${DELIVERY[d.status] || d.status}` }));
      if (x.rating && x.rating.value) {
        steps.push({ at: x.rating.at, text: `群众评价：${RATING[x.rating.value] || x.rating.value}${x.rating.comment ? `，${x.rating.comment}` : ''}` });
      }
      steps.sort((a, b) => String(a.at || '').localeCompare(String(b.at || '')));
      return h('ol', { class: 'timeline' }, steps.map((s) => h('li', [
        h('span', { class: 'muted time' }, formatTime(s.at)), h('span', s.text)])));
    };

    const dialogView = () => h(Modal, { open: dialog.open, title: dialog.title, onClose: () => { dialog.open = false; } },
      () => h('form', { onSubmit: submitDialog }, [
        errorBox(dialog.error),
        dialog.kind === 'transfer' ? selectInput('转办到部门', dialog, 'departmentId', [{ value: '', label: '请选择部门' },
          ...[...names.value.entries()].filter(([d]) => d !== c().departmentId)
            .map(([value, label]) => ({ value, label }))]) : null,
        dialog.kind === 'assignee' ? selectInput('办理人', dialog, 'departmentId', [{ value: '', label: '请选择办理人' },
          ...staff.value.filter((s) => s.roles.includes('replier') && s.departmentIds.includes(c().departmentId))
            .map((s) => ({ value: s.id, label: s.displayName }))]) : null,
        dialog.kind === 'extend' ? textInput('延期天数（工作日）', dialog, 'days', { type: 'number', required: true }) : null,
        dialog.kind === 'reached' ? selectInput('告知方式', dialog, 'how', HOW) : null,
        dialog.kind === 'assignee' ? null : textInput(['close', 'refuse'].includes(dialog.kind) ? '理由（可选）' : '理由',
          dialog, 'reason', { multiline: true, rows: 3, maxlength: 500, required: !['close', 'refuse'].includes(dialog.kind),
            hint: dialog.kind === 'close' ? '未答复的留言办结时须说明理由' : undefined }),
        h('div', { class: 'toolbar' }, [
          button(busy.value ? '正在提交…' : '确定', null, { type: 'submit', kind: 'primary', disabled: !!busy.value
            || (['transfer', 'assignee'].includes(dialog.kind) && !dialog.departmentId) }),
          button('取消', () => { dialog.open = false; }),
        ]),
      ]));

    return () => {
      if (state.loading) return loadingBox();
      if (state.notFound) {
        return h('div', { class: 'alert alert-error', role: 'alert' }, [
          h('p', '留言不存在或无权查看'), h('p', link('返回留言办理', '/inbox'))]);
      }
      if (state.error) return errorBox(state.error);
      const x = c();
      return h('div', { class: 'case-page' }, [
        h('p', link('← 返回留言办理', '/inbox')),
        section(`${x.number} ${x.title || ''}`, [facts(), actions()], { class: 'case-head' }),
        h('div', { class: 'case-columns' }, [
          h('div', { class: 'case-main' }, [
            section('群众留言', messages()),
            open('assigned', 'in_progress') && worker() ? section('答复群众', composerView()) : null,
            section('答复与送达', replies()),
          ]),
          section('办理经过', timeline(), { class: 'case-side' }),
        ]),
        dialogView(),
      ]);
    };
  },
});

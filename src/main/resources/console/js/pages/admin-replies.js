// Auto-replies and the custom menu of one WeChat official account (#/admin/accounts/:id/replies): keyword rules
// (exact / contains), the subscribe greeting, the default reply, the acknowledgement for unmatched text, and a
// visual editor for the menu: up to 3 top buttons with up to 5 sub-buttons each, drawn like the phone's bottom bar,
// checked against WeChat's limits (names counted in UTF-8 bytes, as WeChat does) before it is published.
import {
  h, reactive, defineComponent, onMounted, section, button, textInput, selectInput, checkbox, table, errorBox,
  loadingBox, toast, problemText, formatTime, link, badge,
} from '../ui.js';
import { get, postJson, patch, put, del } from '../api.js';
import { usePaged, pagedStatus, moreButton, deleteButtons, utf8Bytes } from './admin-common.js';

/** An account's API path: the id from the address goes in encoded, never spliced raw. */
const accountApi = (accountId, tail = '') => `/api/v1/accounts/${encodeURIComponent(accountId)}${tail}`;
const MATCH_NAMES = { exact: '完全匹配', contains: '包含', regex: '正则' };
export const MENU_LIMITS = { top: 3, sub: 5, topName: 16, subName: 60, key: 128, url: 1024 };
const BUTTON_TYPES = [{ value: 'click', label: '点击推送事件（key）' }, { value: 'view', label: '打开网页' },
  { value: 'miniprogram', label: '打开小程序' }];

function replyText(reply) {
  if (!reply) return '';
  if (reply.type === 'text') return reply.content;
  if (reply.type === 'image') return '［图片］';
  return '［图文］';
}

function newButton(name) {
  return { name, type: 'click', key: '', url: '', appid: '', pagepath: '', sub_button: [] };
}

function fromWeChat(button) {
  return { name: button.name || '', type: button.type || 'click', key: button.key || '', url: button.url || '',
    appid: button.appid || '', pagepath: button.pagepath || '', sub_button: (button.sub_button || []).map(fromWeChat) };
}

function leaf(button) {
  const out = { type: button.type, name: button.name.trim() };
  if (button.type === 'click') out.key = button.key.trim();
  if (button.type === 'view' || button.type === 'miniprogram') out.url = button.url.trim();
  if (button.type === 'miniprogram') {
    out.appid = button.appid.trim();
    out.pagepath = button.pagepath.trim();
  }
  return out;
}

/** The menu in WeChat's field names, as PUT /api/v1/accounts/{id}/menu takes it. */
export function toWeChat(buttons) {
  return { buttons: buttons.map((b) => (b.sub_button.length ? { name: b.name.trim(), sub_button: b.sub_button.map(leaf) }
    : leaf(b))) };
}

/** WeChat's limits, checked before anything is sent: a list of Chinese messages, empty when the menu may go. */
export function menuProblems(buttons) {
  const problems = [];
  if (buttons.length < 1 || buttons.length > MENU_LIMITS.top) problems.push('一级菜单须为 1 到 3 个');
  const checkLeaf = (b, where) => {
    if (b.type === 'click' && (!b.key.trim() || utf8Bytes(b.key.trim()) > MENU_LIMITS.key)) {
      problems.push(`${where}：请填写事件 key（不超过 ${MENU_LIMITS.key} 字节）`);
    }
    if ((b.type === 'view' || b.type === 'miniprogram')
      && (!/^https?:\/\/\S+$/.test(b.url.trim()) || utf8Bytes(b.url.trim()) > MENU_LIMITS.url)) {
      problems.push(`${where}：请填写以 http:// 或 https:// 开头的网址（不超过 ${MENU_LIMITS.url} 字节）`);
    }
    if (b.type === 'miniprogram') {
      if (!/^wx[0-9a-f]{16}$/.test(b.appid.trim())) problems.push(`${where}：小程序 AppID 应为 wx 开头的 18 位`);
      if (!b.pagepath.trim()) problems.push(`${where}：请填写小程序页面路径`);
    }
  };
  buttons.forEach((b, i) => {
    const where = `一级菜单 ${i + 1}“${b.name}”`;
    const bytes = utf8Bytes(b.name.trim());
    if (bytes < 1 || bytes > MENU_LIMITS.topName) problems.push(`${where}：名称须为 1 到 ${MENU_LIMITS.topName} 字节（约 5 个汉字），现为 ${bytes} 字节`);
    if (b.sub_button.length > MENU_LIMITS.sub) problems.push(`${where}：子菜单至多 ${MENU_LIMITS.sub} 个`);
    if (b.sub_button.length === 0) checkLeaf(b, where);
    b.sub_button.forEach((s, j) => {
      const at = `${where} 的子菜单 ${j + 1}“${s.name}”`;
      const subBytes = utf8Bytes(s.name.trim());
      if (subBytes < 1 || subBytes > MENU_LIMITS.subName) problems.push(`${at}：名称须为 1 到 ${MENU_LIMITS.subName} 字节，现为 ${subBytes} 字节`);
      checkLeaf(s, at);
    });
  });
  return problems;
}

const MenuEditor = {
  name: 'MenuEditor',
  props: { accountId: String },
  setup(props) {
    const state = reactive({ buttons: [], top: 0, sub: null, loading: true, error: null, stored: null, busy: false,
      problems: [], saveError: null });
    const load = async () => {
      state.loading = true;
      try {
        state.stored = await get(accountApi(props.accountId, '/menu'));
        const buttons = state.stored.buttons || (state.stored.lastAttempt && state.stored.lastAttempt.buttons) || [];
        state.buttons = buttons.map(fromWeChat);
        state.error = null;
      } catch (e) {
        if (e.status === 404) { state.stored = null; state.buttons = []; } else { state.error = e; }
      } finally {
        state.loading = false;
        state.top = 0;
        state.sub = null;
      }
    };
    onMounted(load);

    const selected = () => {
      const top = state.buttons[state.top];
      if (!top) return null;
      return state.sub === null ? top : top.sub_button[state.sub] || null;
    };
    const siblings = () => (state.sub === null ? state.buttons : state.buttons[state.top].sub_button);
    const select = (top, sub = null) => { state.top = top; state.sub = sub; };

    const addTop = () => {
      state.buttons.push(newButton(`菜单${state.buttons.length + 1}`));
      select(state.buttons.length - 1);
    };
    const addSub = () => {
      const top = state.buttons[state.top];
      top.sub_button.push(newButton(`子菜单${top.sub_button.length + 1}`));
      select(state.top, top.sub_button.length - 1);
    };
    const moveSelected = (step) => {
      const list = siblings();
      const at = state.sub === null ? state.top : state.sub;
      const to = at + step;
      if (to < 0 || to >= list.length) return;
      const [item] = list.splice(at, 1);
      list.splice(to, 0, item);
      if (state.sub === null) state.top = to; else state.sub = to;
    };
    const removeSelected = () => {
      const list = siblings();
      const at = state.sub === null ? state.top : state.sub;
      list.splice(at, 1);
      if (state.sub === null) select(Math.max(0, Math.min(at, state.buttons.length - 1)));
      else state.sub = list.length ? Math.min(at, list.length - 1) : null;
    };

    const save = async () => {
      state.problems = menuProblems(state.buttons);
      state.saveError = null;
      if (state.problems.length) return;
      state.busy = true;
      try {
        state.stored = await put(accountApi(props.accountId, '/menu'), toWeChat(state.buttons));
        toast('菜单已发布到微信，手机上约 5 分钟内更新');
      } catch (failure) {
        state.saveError = failure;
        toast(problemText(failure), 'error');
      } finally {
        state.busy = false;
      }
    };

    const phone = () => h('div', { class: 'phone', role: 'group', 'aria-label': '手机菜单预览' }, [
      h('div', { class: 'phone-screen' }, [
        state.buttons[state.top]
          ? h('ul', { class: ['phone-subs', `phone-subs-${state.top}`], 'aria-label': '子菜单' }, [
            ...(state.buttons[state.top] ? state.buttons[state.top].sub_button.map((s, j) => h('li', { key: j },
              h('button', { type: 'button', class: ['phone-sub', state.sub === j ? 'selected' : null],
                'aria-pressed': state.sub === j ? 'true' : 'false', onClick: () => select(state.top, j) }, s.name || '（未命名）'))) : []),
            state.buttons[state.top] && state.buttons[state.top].sub_button.length < MENU_LIMITS.sub
              ? h('li', h('button', { type: 'button', class: 'phone-sub phone-add', onClick: addSub }, '＋ 添加子菜单')) : null,
          ]) : null,
      ]),
      h('div', { class: 'phone-bar' }, [
        h('span', { class: 'phone-keyboard', 'aria-hidden': 'true' }, '⌨'),
        ...state.buttons.map((b, i) => h('button', { type: 'button', key: i,
          class: ['phone-top', state.top === i && state.sub === null ? 'selected' : null, state.top === i ? 'open' : null],
          'aria-pressed': state.top === i && state.sub === null ? 'true' : 'false', onClick: () => select(i) },
        (b.sub_button.length ? '☰ ' : '') + (b.name || '（未命名）'))),
        state.buttons.length < MENU_LIMITS.top
          ? h('button', { type: 'button', class: 'phone-top phone-add', onClick: addTop }, '＋ 添加菜单') : null,
      ]),
    ]);

    const editor = () => {
      const item = selected();
      if (!item) return h('p', { class: 'muted' }, '还没有菜单：点击手机底部的“＋ 添加菜单”开始。');
      const isTop = state.sub === null;
      const limit = isTop ? MENU_LIMITS.topName : MENU_LIMITS.subName;
      const bytes = utf8Bytes(item.name.trim());
      const list = siblings();
      const at = isTop ? state.top : state.sub;
      return h('div', { class: 'menu-editor' }, [
        h('h3', isTop ? `一级菜单 ${state.top + 1}` : `一级菜单 ${state.top + 1} 的子菜单 ${state.sub + 1}`),
        textInput('菜单名称', item, 'name', { required: true,
          hint: `已用 ${bytes} / ${limit} 字节（按 UTF-8 计，一个汉字 3 字节）${bytes > limit ? '，超出限制' : ''}` }),
        isTop && item.sub_button.length
          ? h('p', { class: 'hint' }, '此菜单有子菜单：点击后展开子菜单，自身不需要设置动作。')
          : [
            selectInput('菜单动作', item, 'type', BUTTON_TYPES),
            item.type === 'click' ? textInput('事件 key', item, 'key', { required: true, hint: '公众号收到点击事件时带的值，不超过 128 字节' }) : null,
            item.type === 'view' || item.type === 'miniprogram' ? textInput(item.type === 'view' ? '网页地址' : '备用网页地址（旧版微信打开）',
              item, 'url', { type: 'url', required: true }) : null,
            item.type === 'miniprogram' ? textInput('小程序 AppID', item, 'appid', { required: true }) : null,
            item.type === 'miniprogram' ? textInput('小程序页面路径', item, 'pagepath', { required: true, placeholder: 'pages/index/index' }) : null,
          ],
        h('div', { class: 'toolbar' }, [
          button('上移', () => moveSelected(-1), { disabled: at === 0, ariaLabel: `上移 ${item.name}` }),
          button('下移', () => moveSelected(1), { disabled: at === list.length - 1, ariaLabel: `下移 ${item.name}` }),
          isTop && item.sub_button.length < MENU_LIMITS.sub ? button('添加子菜单', addSub) : null,
          button('删除此菜单', removeSelected, { kind: 'danger' }),
        ]),
      ]);
    };

    return () => {
      if (state.loading) return loadingBox();
      const last = state.stored && state.stored.lastAttempt;
      return h('div', [
        errorBox(state.error),
        state.stored && state.stored.pushedAt ? h('p', { class: 'muted' },
          `最近一次发布：${formatTime(state.stored.pushedAt)}${state.stored.pushedBy ? `（${state.stored.pushedBy.username}）` : ''}`)
          : h('p', { class: 'muted' }, '本系统尚未发布过此公众号的菜单。'),
        last && last.result === 'failed' ? h('p', { class: 'alert alert-error' },
          `最近一次发布失败（${formatTime(last.at)}）：微信返回 ${last.errcode ?? ''} ${last.errmsg || last.code || ''}`) : null,
        h('div', { class: 'menu-layout' }, [phone(), editor()]),
        state.problems.length ? h('div', { class: 'alert alert-error', role: 'alert' }, [
          h('p', '菜单不符合微信的限制，未发布：'), h('ul', state.problems.map((p) => h('li', p)))]) : null,
        errorBox(state.saveError),
        h('div', { class: 'toolbar' }, [
          button(state.busy ? '正在发布…' : '保存并发布菜单', save, { kind: 'primary', disabled: state.busy }),
          button('放弃修改', load, { disabled: state.busy }),
        ]),
        h('p', { class: 'hint' }, '一级菜单 1–3 个，名称不超过 16 字节；每个一级菜单的子菜单至多 5 个，名称不超过 60 字节。发布会替换公众号当前的全部菜单。'),
      ]);
    };
  },
};

/** The subscribe or default rule: one text box, created on first save. */
const SpecialReply = {
  name: 'SpecialReply',
  props: { accountId: String, match: String, rule: Object, label: String, onSaved: Function },
  setup(props) {
    const form = reactive({ content: '', enabled: true, busy: false, error: null, id: null });
    const sync = () => {
      form.id = props.rule ? props.rule.id : null;
      form.content = props.rule ? replyText(props.rule.reply) : '';
      form.enabled = props.rule ? props.rule.enabled : true;
    };
    sync();
    const submit = async (e) => {
      e.preventDefault();
      form.busy = true;
      form.error = null;
      try {
        const reply = { type: 'text', content: form.content };
        const rules = accountApi(props.accountId, '/auto-replies');
        if (form.id) await patch(`${rules}/${encodeURIComponent(form.id)}`, { reply, enabled: form.enabled });
        else await postJson(rules, { match: props.match, reply, enabled: form.enabled });
        toast(`${props.label}已保存`);
        props.onSaved();
      } catch (failure) {
        form.error = failure;
      } finally {
        form.busy = false;
      }
    };
    return () => h('form', { onSubmit: submit }, [
      errorBox(form.error),
      props.rule && props.rule.reply && props.rule.reply.type !== 'text'
        ? h('p', { class: 'hint' }, `当前为${replyText(props.rule.reply)}回复；保存后改为文字回复。`) : null,
      textInput(`${props.label}内容`, form, 'content', { multiline: true, rows: 3, required: true, maxlength: 600 }),
      checkbox(`启用${props.label}`, form, 'enabled'),
      button(form.busy ? '正在保存…' : `保存${props.label}`, null, { type: 'submit', kind: 'primary', disabled: form.busy }),
    ]);
  },
};

export default defineComponent({
  name: 'AdminReplies',
  props: { params: Object, query: Object },
  setup(props) {
    const id = props.params.id;
    const account = reactive({ data: null, error: null });
    const rules = usePaged(accountApi(id, '/auto-replies'), () => ({}), 200);
    const add = reactive({ match: 'contains', keyword: '', content: '', priority: '100', busy: false, error: null });
    const ack = reactive({ ackText: '', ackEnabled: true, busy: false, loaded: false, error: null });
    const actions = reactive({ confirming: null, busy: false });

    onMounted(async () => {
      try {
        account.data = await get(accountApi(id));
      } catch (e) {
        account.error = e;
        return;
      }
      if (account.data.type !== 'wechat_mp') return;
      rules.reload();
      try {
        Object.assign(ack, await get(accountApi(id, '/auto-replies/settings')), { loaded: true });
      } catch (e) {
        ack.error = e;
      }
    });

    const keywordRules = () => rules.items.filter((r) => ['exact', 'contains', 'regex'].includes(r.match));
    const special = (match) => rules.items.find((r) => r.match === match && r.enabled)
      || rules.items.find((r) => r.match === match) || null;

    const submitRule = async (e) => {
      e.preventDefault();
      add.busy = true;
      add.error = null;
      try {
        await postJson(accountApi(id, '/auto-replies'), { match: add.match, keyword: add.keyword.trim(),
          priority: Number(add.priority), reply: { type: 'text', content: add.content } });
        toast(`已添加关键词“${add.keyword.trim()}”`);
        add.keyword = '';
        add.content = '';
        rules.reload();
      } catch (failure) {
        add.error = failure;
      } finally {
        add.busy = false;
      }
    };
    const toggle = async (rule) => {
      try {
        await patch(accountApi(id, `/auto-replies/${encodeURIComponent(rule.id)}`), { enabled: !rule.enabled });
        rules.reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      }
    };
    const remove = async (rule) => {
      try {
        await del(accountApi(id, `/auto-replies/${encodeURIComponent(rule.id)}`));
        toast('已删除规则');
        rules.reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      }
    };
    const saveAck = async (e) => {
      e.preventDefault();
      ack.busy = true;
      ack.error = null;
      try {
        Object.assign(ack, await put(accountApi(id, '/auto-replies/settings'),
          { ackText: ack.ackText, ackEnabled: ack.ackEnabled }));
        toast('留言确认语已保存');
      } catch (failure) {
        ack.error = failure;
      } finally {
        ack.busy = false;
      }
    };

    return () => {
      if (account.error) return errorBox(account.error);
      if (!account.data) return loadingBox();
      if (account.data.type !== 'wechat_mp') {
        return h('p', { class: 'alert alert-warn' }, '自动回复和自定义菜单只适用于微信公众号。');
      }
      return h('div', { class: 'admin-page' }, [
        h('p', [link('← 返回账号列表', '/admin/accounts'), h('span', { class: 'muted' }, `　公众号：${account.data.name}`)]),
        section('自定义菜单', h(MenuEditor, { accountId: id })),
        section('关键词回复', [
          ...pagedStatus(rules),
          table('关键词回复规则（按匹配顺序）', [
            { label: '匹配方式', render: (r) => MATCH_NAMES[r.match] || r.match },
            { label: '关键词', render: (r) => r.keyword },
            { label: '回复', render: (r) => replyText(r.reply) },
            { label: '优先级', render: (r) => String(r.priority) },
            { label: '状态', render: (r) => (r.enabled ? badge('启用', 'ok') : badge('停用', 'muted')) },
            { label: '操作', render: (r) => h('span', { class: 'admin-actions' }, [
              button(r.enabled ? '停用' : '启用', () => toggle(r), { class: 'btn-small', ariaLabel: `${r.enabled ? '停用' : '启用'}关键词 ${r.keyword}` }),
              deleteButtons(actions, r.id, () => remove(r)),
            ]) },
          ], keywordRules(), { key: (r) => r.id, empty: '还没有关键词回复' }),
          moreButton(rules),
          h('h3', '添加关键词回复'),
          h('form', { onSubmit: submitRule }, [
            errorBox(add.error),
            h('div', { class: 'row' }, [
              selectInput('匹配方式', add, 'match', [{ value: 'contains', label: '包含关键词' }, { value: 'exact', label: '完全匹配' }]),
              textInput('关键词', add, 'keyword', { required: true, maxlength: 60 }),
              textInput('优先级', add, 'priority', { type: 'number', hint: '0–1000，越小越先匹配' }),
            ]),
            textInput('回复内容', add, 'content', { multiline: true, rows: 3, required: true, maxlength: 600 }),
            button(add.busy ? '正在添加…' : '添加规则', null, { type: 'submit', kind: 'primary', disabled: add.busy }),
          ]),
        ]),
        section('关注回复', rules.loaded ? h(SpecialReply, { key: `s-${(special('subscribe') || {}).id}-${(special('subscribe') || {}).updatedAt}`,
          accountId: id, match: 'subscribe', rule: special('subscribe'), label: '关注回复', onSaved: rules.reload }) : loadingBox()),
        section('默认回复', [
          h('p', { class: 'hint' }, '回复图片、语音、位置等非文字消息；关闭留言确认语时，也回复未命中关键词的文字。'),
          rules.loaded ? h(SpecialReply, { key: `d-${(special('default') || {}).id}-${(special('default') || {}).updatedAt}`,
            accountId: id, match: 'default', rule: special('default'), label: '默认回复', onSaved: rules.reload }) : loadingBox(),
        ]),
        section('留言确认语', [
          errorBox(ack.error),
          ack.loaded ? h('form', { onSubmit: saveAck }, [
            textInput('确认语内容', ack, 'ackText', { multiline: true, rows: 2, required: true, maxlength: 600,
              hint: '未命中关键词的文字留言收到此回复，留言同时进入办理流程' }),
            checkbox('启用留言确认语', ack, 'ackEnabled'),
            button(ack.busy ? '正在保存…' : '保存确认语', null, { type: 'submit', kind: 'primary', disabled: ack.busy }),
          ]) : (ack.error ? null : loadingBox()),
        ]),
      ]);
    };
  },
});

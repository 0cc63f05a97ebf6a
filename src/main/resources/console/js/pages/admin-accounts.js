// Channel accounts (#/admin/accounts): WeChat official accounts, the mini-program and Weibo. Secrets are write-only:
// the API never returns them (secretsSet says which are set) and the form sends one only when something is typed.
// WeChat accounts show the callback URL and mode to paste into WeChat's console; Weibo accounts are bound by
// opening Weibo's authorization page in a new tab, and show their token's state.
import {
  h, reactive, defineComponent, onMounted, section, button, textInput, selectInput, badge, table, errorBox, toast,
  Modal, problemText, formatTime, link, uid,
} from '../ui.js';
import { postJson, patch, get } from '../api.js';
import {
  usePaged, pagedStatus, moreButton, loadChoices, departmentPaths, reportFailure, ACCOUNT_TYPES,
} from './admin-common.js';

const SECRETS = {
  wechat_mp: [['appSecret', 'AppSecret（开发者密码）'], ['token', '令牌（Token）'], ['aesKey', '消息加解密密钥（EncodingAESKey）']],
  wechat_miniapp: [['appSecret', 'AppSecret（小程序密钥）'], ['token', '消息推送令牌（Token）'],
    ['aesKey', '消息加解密密钥（EncodingAESKey）']],
  weibo: [['appSecret', 'App Secret'], ['accessToken', '访问令牌（手工填写，通常请用“微博授权”）']],
};
const MODES = [
  { value: 'plain', label: '明文模式' }, { value: 'compatible', label: '兼容模式' }, { value: 'safe', label: '安全模式（推荐）' }];
const MODE_NAMES = Object.fromEntries(MODES.map((m) => [m.value, m.label]));
const STATUS = { active: ['正常', 'ok'], suspended: ['暂停', 'warn'], closed: ['已关闭', 'muted'] };

function blankForm(type = 'wechat_mp') {
  return { type, name: '', departmentId: '', overrideReason: '', status: 'active', kind: 'subscription', appId: '',
    originalId: '', callbackMode: 'safe', appKey: '', uid: '', appSecret: '', token: '', aesKey: '', accessToken: '',
    tokenExpiresAt: '' };
}

/** Where WeChat pushes an account's messages: this server's callback for the account. */
export function callbackUrl(account) {
  const path = account.type === 'wechat_miniapp' ? '/wechat/miniapp/callback/' : '/wechat/callback/';
  return `${window.location.origin}${path}${account.id}`;
}

function weiboTokenState(account) {
  if (!account.secretsSet || !account.secretsSet.accessToken) return badge('未授权', 'danger');
  const expired = account.tokenExpiresAt && Date.parse(account.tokenExpiresAt) < Date.now();
  if (expired) return badge('令牌已过期，请重新授权', 'danger');
  if (account.tokenWarning) return badge('令牌即将过期，请重新授权', 'warn');
  return badge('已授权', 'ok');
}

export default defineComponent({
  name: 'AdminAccounts',
  setup() {
    const filter = reactive({ type: '' });
    const list = usePaged('/api/v1/accounts', () => ({ type: filter.type }), 50);
    const departments = reactive({ items: [], error: null });
    const dialog = reactive({ open: false, account: null, busy: false, error: null });
    const form = reactive(blankForm());
    const authorizing = reactive({ id: null });

    onMounted(async () => {
      list.reload();
      try {
        departments.items = (await loadChoices('/api/v1/departments')).items;
      } catch (e) {
        departments.error = e;
      }
    });
    const paths = () => departmentPaths(departments.items);
    const departmentChoices = () => {
      const names = paths();
      return [{ value: '', label: '（请选择）' }, ...departments.items.map((d) => ({ value: d.id, label: names.get(d.id) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))];
    };

    const openCreate = () => {
      Object.assign(form, blankForm());
      Object.assign(dialog, { open: true, account: null, error: null });
    };
    const openEdit = async (account) => {
      Object.assign(dialog, { open: true, account, error: null });
      try {
        dialog.account = await get(`/api/v1/accounts/${account.id}`);
      } catch (failure) {
        dialog.error = failure;
      }
      const a = dialog.account;
      Object.assign(form, blankForm(a.type), {
        name: a.name, departmentId: a.departmentId, overrideReason: a.overrideReason || '', status: a.status,
        kind: a.kind || 'subscription', appId: a.appId || '', originalId: a.originalId || '',
        callbackMode: a.callbackMode || '', appKey: a.appKey || '', uid: a.uid || '',
      });
    };

    const body = () => {
      const editing = !!dialog.account;
      const fields = { name: form.name.trim(), departmentId: form.departmentId };
      if (form.overrideReason.trim()) fields.overrideReason = form.overrideReason.trim();
      if (editing) fields.status = form.status;
      else fields.type = form.type;
      if (form.type === 'wechat_mp' || form.type === 'wechat_miniapp') {
        if (!editing) fields.appId = form.appId.trim();
        if (form.originalId.trim()) fields.originalId = form.originalId.trim();
        if (form.callbackMode) fields.callbackMode = form.callbackMode;
        if (form.type === 'wechat_mp') fields.kind = form.kind;
      } else if (!editing) {
        fields.appKey = form.appKey.trim();
        fields.uid = form.uid.trim();
      }
      // Secrets go only when typed: an empty box keeps what is stored.
      SECRETS[form.type].forEach(([key]) => {
        if (form[key]) fields[key] = form[key];
      });
      if (form.type === 'weibo' && form.accessToken) {
        fields.tokenExpiresAt = form.tokenExpiresAt ? new Date(form.tokenExpiresAt).toISOString() : undefined;
      }
      return fields;
    };

    const clearSecrets = () => SECRETS[form.type].forEach(([key]) => { form[key] = ''; });

    const submit = async (e) => {
      e.preventDefault();
      if (!form.departmentId) {
        dialog.error = { title: '请选择主管部门' };
        return;
      }
      dialog.busy = true;
      dialog.error = null;
      try {
        if (dialog.account) {
          dialog.account = await patch(`/api/v1/accounts/${dialog.account.id}`, body(), { ifMatch: dialog.account.version });
          toast(`已保存账号“${dialog.account.name}”`);
        } else {
          dialog.account = await postJson('/api/v1/accounts', body());
          toast(`已登记账号“${dialog.account.name}”`);
        }
        clearSecrets();
        list.reload();
      } catch (failure) {
        dialog.error = failure;
        reportFailure(failure, () => { if (dialog.account) openEdit(dialog.account); list.reload(); });
      } finally {
        dialog.busy = false;
      }
    };

    const copy = async (text, inputId) => {
      try {
        await navigator.clipboard.writeText(text);
        toast('已复制到剪贴板');
      } catch (e) {
        const input = document.getElementById(inputId);
        if (input) { input.focus(); input.select(); }
        const copied = document.execCommand && document.execCommand('copy');
        toast(copied ? '已复制到剪贴板' : '浏览器不允许自动复制，已选中地址，请按 Ctrl+C 复制', copied ? 'ok' : 'error');
      }
    };

    const authorize = async (account) => {
      // The tab opens on the click itself (a tab opened after an await may be blocked), then goes to Weibo.
      const tab = window.open('', '_blank');
      authorizing.id = account.id;
      try {
        const answer = await postJson(`/api/v1/accounts/${account.id}/weibo/authorize`);
        if (tab) {
          tab.opener = null;
          tab.location.href = answer.url;
        } else {
          window.location.assign(answer.url);
        }
        toast('已在新标签页打开微博授权页：请以该微博账号登录并同意授权，完成后刷新本页查看令牌状态');
      } catch (failure) {
        if (tab) tab.close();
        toast(problemText(failure), 'error');
      } finally {
        authorizing.id = null;
      }
    };

    const callbackPanel = (account) => {
      if (account.type === 'weibo') return null;
      const inputId = uid('cb');
      const url = callbackUrl(account);
      return h('section', { class: 'admin-callback', 'aria-label': '消息推送配置' }, [
        h('h3', '消息推送（服务器配置）'),
        h('div', { class: 'field' }, [
          h('label', { for: inputId }, '回调地址（URL）'),
          h('div', { class: 'admin-copy' }, [
            h('input', { id: inputId, type: 'text', readonly: true, value: url, class: 'admin-mono' }),
            button('复制', () => copy(url, inputId), { ariaLabel: '复制回调地址' }),
          ]),
        ]),
        h('p', [h('strong', '消息加解密方式：'), account.callbackMode ? MODE_NAMES[account.callbackMode]
          : badge('未设置，请按微信后台的选择补填', 'warn')]),
        h('p', { class: 'hint' }, account.type === 'wechat_mp'
          ? '请在微信公众平台“设置与开发 → 基本配置 → 服务器配置”中填写此 URL，令牌（Token）和消息加解密密钥（EncodingAESKey）与本页保存的一致，并选择同样的消息加解密方式，然后启用。'
          : '请在小程序管理后台“开发 → 开发管理 → 开发设置 → 消息推送”中填写此 URL、令牌与密钥，数据格式选 XML，加解密方式与本页一致。'),
      ]);
    };

    const secretFields = () => SECRETS[form.type].map(([key, label]) => {
      const stored = dialog.account && dialog.account.secretsSet && dialog.account.secretsSet[key];
      return textInput(label, form, key, { type: 'password', autocomplete: 'new-password',
        required: !dialog.account && ['appSecret'].concat(form.type === 'wechat_mp' ? ['token'] : []).includes(key),
        placeholder: stored ? '已设置，留空则不修改' : '未设置',
        hint: stored ? '已设置，留空则不修改（出于安全，已保存的密钥不会显示）' : '未设置' });
    });

    const platformFields = () => {
      const editing = !!dialog.account;
      if (form.type === 'weibo') {
        return [
          h('div', { class: 'row' }, [
            textInput('App Key', form, 'appKey', { required: true, disabled: editing }),
            textInput('微博 UID', form, 'uid', { required: true, disabled: editing }),
          ]),
          ...secretFields(),
          form.accessToken ? textInput('令牌过期时间', form, 'tokenExpiresAt', { type: 'datetime-local', required: true }) : null,
        ];
      }
      return [
        h('div', { class: 'row' }, [
          textInput('AppID', form, 'appId', { required: true, disabled: editing, hint: editing ? '平台身份不可修改' : 'wx 开头的 18 位' }),
          textInput('原始 ID', form, 'originalId', { required: form.type === 'wechat_mp', hint: 'gh_ 开头' }),
        ]),
        h('div', { class: 'row' }, [
          form.type === 'wechat_mp' ? selectInput('账号类型', form, 'kind', [
            { value: 'subscription', label: '订阅号' }, { value: 'service', label: '服务号' }]) : null,
          selectInput('消息加解密方式', form, 'callbackMode', (form.type === 'wechat_miniapp' || !form.callbackMode
            ? [{ value: '', label: '（未设置）' }] : []).concat(MODES)),
        ]),
        ...secretFields(),
      ];
    };

    const columns = () => {
      const names = paths();
      return [
        { label: '名称', render: (a) => a.name },
        { label: '平台', render: (a) => ACCOUNT_TYPES[a.type] || a.type },
        { label: '主管部门', render: (a) => names.get(a.departmentId) || a.departmentId },
        { label: '状态', render: (a) => badge(...STATUS[a.status] || [a.status, 'muted']) },
        { label: '密钥', render: (a) => h('span', { class: 'admin-badges' }, Object.entries(a.secretsSet || {})
          .map(([key, set]) => badge(`${key}${set ? ' 已设置' : ' 未设置'}`, set ? 'ok' : 'muted'))) },
        { label: '令牌 / 推送', render: (a) => (a.type === 'weibo'
          ? h('span', [weiboTokenState(a), a.tokenExpiresAt ? h('span', { class: 'muted' }, ` 至 ${formatTime(a.tokenExpiresAt)}`) : null])
          : (a.callbackMode ? MODE_NAMES[a.callbackMode] : badge('加解密方式未设置', 'warn'))) },
        { label: '操作', render: (a) => h('span', { class: 'admin-actions' }, [
          button('编辑', () => openEdit(a), { class: 'btn-small', ariaLabel: `编辑 ${a.name}` }),
          a.type === 'wechat_mp' ? link('自动回复与菜单', `/admin/accounts/${a.id}/replies`, { class: 'btn btn-small' }) : null,
          a.type === 'weibo' ? button(authorizing.id === a.id ? '正在打开…' : '微博授权', () => authorize(a),
            { class: 'btn-small', disabled: authorizing.id === a.id, ariaLabel: `微博授权：${a.name}` }) : null,
        ]) },
      ];
    };

    return () => h('div', { class: 'admin-page' }, [
      section('新媒体账号', [
        h('div', { class: 'toolbar' }, [
          button('登记账号', openCreate, { kind: 'primary' }),
          h('div', { class: 'admin-search' }, selectInput('平台', filter, 'type', [{ value: '', label: '全部平台' },
            ...Object.entries(ACCOUNT_TYPES).map(([value, label]) => ({ value, label }))], { onChange: () => list.reload() })),
        ]),
        errorBox(departments.error),
        ...pagedStatus(list),
        table('新媒体账号列表', columns(), list.items, { key: (a) => a.id, empty: '还没有登记账号' }),
        moreButton(list),
        h('p', { class: 'hint' }, '每个部门在每个平台只能开设一个账号（国办发〔2018〕123号）；确需例外时填写例外理由。'),
      ]),
      h(Modal, { open: dialog.open, wide: true, title: dialog.account ? `编辑账号：${dialog.account.name}` : '登记账号',
        onClose: () => { dialog.open = false; clearSecrets(); } }, () => [
        dialog.account ? callbackPanel(dialog.account) : null,
        h('form', { class: 'admin-form', onSubmit: submit, autocomplete: 'off' }, [
          errorBox(dialog.error),
          h('div', { class: 'row' }, [
            selectInput('平台', form, 'type', Object.entries(ACCOUNT_TYPES).map(([value, label]) => ({ value, label })),
              { disabled: !!dialog.account, onChange: (type) => Object.assign(form, blankForm(type), { name: form.name,
                departmentId: form.departmentId }) }),
            textInput('账号名称', form, 'name', { required: true, maxlength: 64 }),
          ]),
          h('div', { class: 'row' }, [
            selectInput('主管部门', form, 'departmentId', departmentChoices()),
            dialog.account ? selectInput('状态', form, 'status', Object.entries(STATUS)
              .map(([value, [label]]) => ({ value, label }))) : null,
          ]),
          textInput('例外理由（同一部门同一平台第二个账号时填写）', form, 'overrideReason', { maxlength: 500 }),
          ...platformFields(),
          h('div', { class: 'toolbar' }, [
            button(dialog.busy ? '正在保存…' : (dialog.account ? '保存' : '登记'), null,
              { type: 'submit', kind: 'primary', disabled: dialog.busy }),
            button('关闭', () => { dialog.open = false; clearSecrets(); }),
          ]),
        ]),
        dialog.account && dialog.account.type === 'weibo' ? h('section', { class: 'admin-callback', 'aria-label': '微博授权' }, [
          h('h3', '微博授权'),
          h('p', ['令牌状态：', weiboTokenState(dialog.account),
            dialog.account.tokenExpiresAt ? ` 过期时间 ${formatTime(dialog.account.tokenExpiresAt)}` : '',
            dialog.account.tokenIssuedAt ? `，授权于 ${formatTime(dialog.account.tokenIssuedAt)}` : '']),
          button(authorizing.id === dialog.account.id ? '正在打开…' : '前往微博授权', () => authorize(dialog.account),
            { kind: 'primary', disabled: authorizing.id === dialog.account.id }),
          h('p', { class: 'hint' }, '在新标签页中以该微博账号登录并同意授权；授权链接 10 分钟内有效。微博网页应用没有刷新令牌，过期前须重新授权。'),
        ]) : null,
      ]),
    ]);
  },
});

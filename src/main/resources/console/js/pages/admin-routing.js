// Routing rules (#/admin/routing): the rules in the order they are tried (priority, then creation); create, edit,
// move up or down (by exchanging priorities), delete. A case no rule matches waits in the dispatchers' queue.
import {
  h, reactive, defineComponent, onMounted, section, button, textInput, selectInput, table, errorBox, toast, Modal,
  problemText,
} from '../ui.js';
import { postJson, put, del } from '../api.js';
import {
  usePaged, pagedStatus, moreButton, loadChoices, departmentPaths, reportFailure, deleteButtons, ACCOUNT_TYPES,
} from './admin-common.js';

export const CATEGORIES = { consultation: '咨询', complaint: '投诉', suggestion: '建议', help: '求助', report: '举报',
  disclosure_request: '依申请公开' };

function blankForm() {
  return { name: '', priority: '100', keywords: '', category: '', accountId: '', region: '', departmentId: '' };
}

function keywordsOf(text) {
  return text.split(/[\s,，、;；]+/).map((k) => k.trim()).filter(Boolean);
}

export default defineComponent({
  name: 'AdminRouting',
  setup() {
    const list = usePaged('/api/v1/routing-rules', () => ({}), 100);
    const choices = reactive({ departments: [], accounts: [], error: null });
    const dialog = reactive({ open: false, rule: null, busy: false, error: null });
    const form = reactive(blankForm());
    const actions = reactive({ confirming: null, busy: false, moving: null });

    onMounted(async () => {
      list.reload();
      try {
        const [departments, accounts] = await Promise.all([loadChoices('/api/v1/departments'),
          loadChoices('/api/v1/accounts')]);
        choices.departments = departments.items;
        choices.accounts = accounts.items;
      } catch (e) {
        choices.error = e;
      }
    });
    const departmentNames = () => departmentPaths(choices.departments);
    const accountName = (id) => {
      const account = choices.accounts.find((a) => a.id === id);
      return account ? `${account.name}（${ACCOUNT_TYPES[account.type]}）` : id;
    };

    const openCreate = () => {
      const last = list.items[list.items.length - 1];
      Object.assign(form, blankForm(), { priority: String(last ? Math.min(9999, last.priority + 10) : 100) });
      Object.assign(dialog, { open: true, rule: null, error: null });
    };
    const openEdit = (rule) => {
      Object.assign(form, { name: rule.name, priority: String(rule.priority), keywords: (rule.keywords || []).join('、'),
        category: rule.category || '', accountId: rule.accountId || '', region: rule.region || '',
        departmentId: rule.departmentId });
      Object.assign(dialog, { open: true, rule, error: null });
    };

    const writeOf = (rule, priority) => {
      const body = { name: rule.name, priority, departmentId: rule.departmentId };
      if (rule.keywords && rule.keywords.length) body.keywords = rule.keywords;
      ['category', 'accountId', 'region'].forEach((key) => { if (rule[key]) body[key] = rule[key]; });
      return body;
    };

    const submit = async (e) => {
      e.preventDefault();
      const rule = { name: form.name.trim(), keywords: keywordsOf(form.keywords), category: form.category,
        accountId: form.accountId, region: form.region.trim(), departmentId: form.departmentId };
      if (!rule.departmentId) { dialog.error = { title: '请选择分拨到的部门' }; return; }
      if (!rule.keywords.length && !rule.category && !rule.accountId && !rule.region) {
        dialog.error = { title: '请至少填写一个条件：关键词、类别、来源账号或地区' };
        return;
      }
      dialog.busy = true;
      try {
        const body = writeOf(rule, Number(form.priority));
        if (dialog.rule) {
          await put(`/api/v1/routing-rules/${dialog.rule.id}`, body, { ifMatch: dialog.rule.version });
          toast(`已保存规则“${body.name}”`);
        } else {
          await postJson('/api/v1/routing-rules', body);
          toast(`已新建规则“${body.name}”`);
        }
        dialog.open = false;
        list.reload();
      } catch (failure) {
        dialog.error = failure;
        reportFailure(failure, () => { dialog.open = false; list.reload(); });
      } finally {
        dialog.busy = false;
      }
    };

    /** Moves a rule before (-1) or after (+1) its neighbour by exchanging their priorities. */
    const move = async (index, step) => {
      const rule = list.items[index];
      const other = list.items[index + step];
      if (!other) return;
      let mine = other.priority;
      let theirs = rule.priority;
      if (mine === theirs) {
        // Equal priorities are tried in creation order: make them differ.
        if (step < 0) { mine = Math.max(0, other.priority - 1); theirs = mine === other.priority ? other.priority + 1 : other.priority; }
        else { mine = Math.min(9999, other.priority + 1); theirs = mine === other.priority ? other.priority - 1 : other.priority; }
      }
      actions.moving = rule.id;
      try {
        await put(`/api/v1/routing-rules/${rule.id}`, writeOf(rule, mine), { ifMatch: rule.version });
        if (theirs !== other.priority) {
          await put(`/api/v1/routing-rules/${other.id}`, writeOf(other, theirs), { ifMatch: other.version });
        }
        toast(`已将“${rule.name}”${step < 0 ? '上移' : '下移'}`);
      } catch (failure) {
        reportFailure(failure);
      } finally {
        actions.moving = null;
        list.reload();
      }
    };

    const remove = async (rule) => {
      try {
        await del(`/api/v1/routing-rules/${rule.id}`);
        toast(`已删除规则“${rule.name}”`);
        list.reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      }
    };

    const conditions = (rule) => [
      rule.keywords && rule.keywords.length ? `关键词：${rule.keywords.join('、')}` : null,
      rule.category ? `类别：${CATEGORIES[rule.category] || rule.category}` : null,
      rule.accountId ? `来源：${accountName(rule.accountId)}` : null,
      rule.region ? `地区：${rule.region}` : null,
    ].filter(Boolean).join('；');

    const columns = () => [
      { label: '顺序', render: (r) => String(list.items.indexOf(r) + 1) },
      { label: '规则名称', render: (r) => r.name },
      { label: '条件（均须满足）', render: conditions },
      { label: '分拨到', render: (r) => departmentNames().get(r.departmentId) || r.departmentId },
      { label: '优先级', render: (r) => String(r.priority) },
      { label: '操作', render: (r) => {
        const index = list.items.indexOf(r);
        return h('span', { class: 'admin-actions' }, [
          button('上移', () => move(index, -1), { class: 'btn-small', disabled: index === 0 || actions.moving !== null,
            ariaLabel: `上移 ${r.name}` }),
          button('下移', () => move(index, 1), { class: 'btn-small',
            disabled: index === list.items.length - 1 || actions.moving !== null, ariaLabel: `下移 ${r.name}` }),
          button('编辑', () => openEdit(r), { class: 'btn-small', ariaLabel: `编辑 ${r.name}` }),
          deleteButtons(actions, r.id, () => remove(r)),
        ]);
      } },
    ];

    const departmentChoices = () => {
      const names = departmentNames();
      return [{ value: '', label: '（请选择）' }, ...choices.departments.map((d) => ({ value: d.id, label: names.get(d.id) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))];
    };

    return () => h('div', { class: 'admin-page' }, [
      section('分拨规则', [
        h('p', { class: 'hint' }, '新留言按下表顺序逐条匹配，第一条满足全部条件的规则决定承办部门；都不满足的进入分拨队列由分派员处理。'),
        h('div', { class: 'toolbar' }, [button('新建规则', openCreate, { kind: 'primary' })]),
        errorBox(choices.error),
        ...pagedStatus(list),
        table('分拨规则（按匹配顺序）', columns(), list.items, { key: (r) => r.id, empty: '还没有分拨规则' }),
        moreButton(list),
      ]),
      h(Modal, { open: dialog.open, wide: true, title: dialog.rule ? `编辑规则：${dialog.rule.name}` : '新建分拨规则',
        onClose: () => { dialog.open = false; } }, () => [
        h('form', { class: 'admin-form', onSubmit: submit }, [
          errorBox(dialog.error),
          h('div', { class: 'row' }, [
            textInput('规则名称', form, 'name', { required: true, maxlength: 50 }),
            textInput('优先级', form, 'priority', { type: 'number', required: true, hint: '0–9999，数字小的先匹配' }),
          ]),
          textInput('关键词', form, 'keywords', { hint: '用顿号、逗号或空格分隔；正文含任一即满足，不区分大小写' }),
          h('div', { class: 'row' }, [
            selectInput('留言类别', form, 'category', [{ value: '', label: '（不限）' },
              ...Object.entries(CATEGORIES).map(([value, label]) => ({ value, label }))]),
            selectInput('来源账号', form, 'accountId', [{ value: '', label: '（不限）' },
              ...choices.accounts.map((a) => ({ value: a.id, label: accountName(a.id) }))]),
            textInput('地区', form, 'region', { maxlength: 50 }),
          ]),
          selectInput('分拨到部门', form, 'departmentId', departmentChoices()),
          h('div', { class: 'toolbar' }, [
            button(dialog.busy ? '正在保存…' : '保存', null, { type: 'submit', kind: 'primary', disabled: dialog.busy }),
            button('取消', () => { dialog.open = false; }),
          ]),
        ]),
      ]),
    ]);
  },
});

// Staff and roles (#/admin/staff): the paged list with a search, create, and an edit dialog for
// display name, roles, departments, headed departments, account scopes, disabling and a new password; on duty or
// away is set straight from the list. The search runs on the server (q). The server checks every change (an admin cannot lock themselves out).
import {
  h, reactive, ref, defineComponent, onMounted, section, button, textInput, badge, table, errorBox, toast, Modal,
  problemText, debounce,
} from '../ui.js';
import { postJson, patch, put } from '../api.js';
import { ROLE_NAMES } from '../session.js';
import {
  usePaged, pagedStatus, moreButton, loadChoices, departmentPaths, checkGroup, reportFailure, ACCOUNT_TYPES,
} from './admin-common.js';

const ROLES = ['admin', 'editor', 'reviewer', 'dispatcher', 'replier', 'supervisor'];
const PASSWORD_HINT = '10 到 128 个字符，至少包含大写字母、小写字母、数字、符号中的三类';

function blankForm() {
  return { username: '', displayName: '', password: '', roles: [], departmentIds: [], headOf: [], accountIds: [],
    disabled: false };
}

export default defineComponent({
  name: 'AdminStaff',
  setup() {
    const search = reactive({ text: '' });
    const list = usePaged('/api/v1/staff', () => ({ q: search.text.trim() }), 50);
    const searchLater = debounce(() => list.reload(), 300);
    const choices = reactive({ departments: [], accounts: [], error: null });
    const dialog = reactive({ open: false, member: null, busy: false, error: null });
    const form = reactive(blankForm());
    const availabilityBusy = ref(null);

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

    const names = () => departmentPaths(choices.departments);
    const departmentChoices = () => {
      const paths = names();
      return choices.departments.map((d) => ({ value: d.id, label: paths.get(d.id) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
    };
    const accountChoices = () => choices.accounts.map((a) => ({ value: a.id,
      label: `${a.name}（${ACCOUNT_TYPES[a.type] || a.type}）` }));

    const openCreate = () => {
      Object.assign(form, blankForm());
      Object.assign(dialog, { open: true, member: null, error: null });
    };
    const openEdit = (member) => {
      Object.assign(form, blankForm(), {
        username: member.username, displayName: member.displayName, roles: [...member.roles],
        departmentIds: [...member.departmentIds], headOf: [...(member.headOf || [])],
        accountIds: [...member.accountIds], disabled: member.disabled,
      });
      Object.assign(dialog, { open: true, member, error: null });
    };

    const body = () => {
      const headOf = form.headOf.filter((id) => form.departmentIds.includes(id));
      const fields = { displayName: form.displayName.trim(), roles: [...form.roles],
        departmentIds: [...form.departmentIds], headOf, accountIds: [...form.accountIds] };
      if (form.password) fields.password = form.password;
      return fields;
    };

    const submit = async (e) => {
      e.preventDefault();
      if (form.roles.length === 0) {
        dialog.error = { title: '请至少选择一个角色' };
        return;
      }
      dialog.busy = true;
      dialog.error = null;
      try {
        if (dialog.member) {
          const changes = body();
          if (form.disabled !== dialog.member.disabled) changes.disabled = form.disabled;
          await patch(`/api/v1/staff/${dialog.member.id}`, changes, { ifMatch: dialog.member.version });
          toast(`已保存 ${changes.displayName} 的信息`);
        } else {
          const made = await postJson('/api/v1/staff', { username: form.username.trim(), ...body() });
          toast(`已新建工作人员 ${made.displayName}（${made.username}）`);
        }
        form.password = '';
        dialog.open = false;
        list.reload();
      } catch (failure) {
        dialog.error = failure;
        reportFailure(failure, () => { dialog.open = false; list.reload(); });
      } finally {
        dialog.busy = false;
      }
    };

    const setAvailable = async (member, available) => {
      availabilityBusy.value = member.id;
      try {
        const after = await put(`/api/v1/staff/${member.id}/availability`, { available });
        Object.assign(member, after);
        toast(available ? `${member.displayName} 已设为在岗` : `${member.displayName} 已设为离开，其未办结案件将转分给他人`);
      } catch (failure) {
        toast(problemText(failure), 'error');
      } finally {
        availabilityBusy.value = null;
      }
    };

    const columns = () => {
      const paths = names();
      return [
        { label: '姓名', render: (m) => m.displayName },
        { label: '用户名', render: (m) => m.username },
        { label: '角色', render: (m) => m.roles.map((r) => ROLE_NAMES[r] || r).join('、') },
        { label: '部门', render: (m) => m.departmentIds.map((id) => paths.get(id) || id)
          .map((name, i) => ((m.headOf || []).includes(m.departmentIds[i]) ? `${name}（负责人）` : name)).join('；') || '—' },
        { label: '状态', render: (m) => h('span', { class: 'admin-badges' }, [
          m.disabled ? badge('已停用', 'danger') : badge('启用', 'ok'),
          m.available === false ? badge('离开', 'warn') : badge('在岗', 'info'),
        ]) },
        { label: '操作', render: (m) => h('span', { class: 'admin-actions' }, [
          button('编辑', () => openEdit(m), { class: 'btn-small', ariaLabel: `编辑 ${m.displayName}` }),
          button(m.available === false ? '设为在岗' : '设为离开', () => setAvailable(m, m.available === false),
            { class: 'btn-small', disabled: availabilityBusy.value === m.id,
              ariaLabel: `${m.available === false ? '设为在岗' : '设为离开'}：${m.displayName}` }),
        ]) },
      ];
    };

    return () => h('div', { class: 'admin-page' }, [
      section('工作人员', [
        h('div', { class: 'toolbar' }, [
          button('新建工作人员', openCreate, { kind: 'primary' }),
          h('div', { class: 'admin-search' }, textInput('查找（姓名或用户名）', search, 'text', { type: 'search',
            maxlength: 64, onInput: () => searchLater() })),
        ]),
        errorBox(choices.error),
        ...pagedStatus(list),
        table('工作人员列表', columns(), list.items, { key: (m) => m.id, empty: search.text ? '没有找到匹配的人员' : '暂无工作人员' }),
        moreButton(list),
      ]),
      h(Modal, { open: dialog.open, wide: true, title: dialog.member ? `编辑工作人员：${dialog.member.displayName}` : '新建工作人员',
        onClose: () => { dialog.open = false; } }, () => [
        h('form', { class: 'admin-form', onSubmit: submit }, [
          errorBox(dialog.error),
          h('div', { class: 'row' }, [
            textInput('用户名', form, 'username', { required: true, disabled: !!dialog.member, autocomplete: 'off',
              hint: dialog.member ? '用户名不可修改' : '3 到 32 位小写字母、数字或 _ . -，以字母开头' }),
            textInput('显示名称', form, 'displayName', { required: true, maxlength: 64 }),
          ]),
          textInput(dialog.member ? '新密码（留空则不修改）' : '初始密码', form, 'password', { type: 'password',
            required: !dialog.member, autocomplete: 'new-password',
            hint: dialog.member ? `重置密码会注销其所有会话。${PASSWORD_HINT}` : PASSWORD_HINT }),
          checkGroup('角色', ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] })), form.roles, { class: 'admin-checks-inline' }),
          checkGroup('所在部门（办理、分派、督办的范围）', departmentChoices(), form.departmentIds, { empty: '还没有部门' }),
          checkGroup('负责的部门（须为所在部门）', departmentChoices().filter((c) => form.departmentIds.includes(c.value)),
            form.headOf, { empty: '先选择所在部门' }),
          checkGroup('可发布的账号（编辑的范围）', accountChoices(), form.accountIds, { empty: '还没有登记账号' }),
          dialog.member ? h('div', { class: 'field checkbox' }, [
            h('input', { id: 'admin-staff-disabled', type: 'checkbox', checked: form.disabled,
              onChange: (e) => { form.disabled = e.target.checked; } }),
            h('label', { for: 'admin-staff-disabled' }, '停用此账号（立即注销其所有会话）'),
          ]) : null,
          h('div', { class: 'toolbar' }, [
            button(dialog.busy ? '正在保存…' : (dialog.member ? '保存' : '新建'), null,
              { type: 'submit', kind: 'primary', disabled: dialog.busy }),
            button('取消', () => { dialog.open = false; }),
          ]),
        ]),
      ]),
    ]);
  },
});

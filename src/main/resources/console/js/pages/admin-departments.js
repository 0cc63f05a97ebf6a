// Departments (#/admin/departments): the tree as nested lists; create, rename and move (the API keeps names unique
// under one parent and refuses a move under the department itself or below it). The API has no delete: a
// department stays, as cases and staff keep pointing at it. Each department's reply settings are edited here too.
import {
  h, reactive, ref, defineComponent, onMounted, section, button, textInput, selectInput, errorBox, loadingBox, toast,
  Modal, problemText,
} from '../ui.js';
import { postJson, patch, get, put } from '../api.js';
import { loadChoices, departmentPaths, reportFailure } from './admin-common.js';

export default defineComponent({
  name: 'AdminDepartments',
  setup() {
    const state = reactive({ items: [], truncated: false, error: null, loading: true });
    const create = reactive({ name: '', parentId: '' });
    const creating = ref(false);
    const edit = reactive({ open: false, department: null, name: '', parentId: '', busy: false, error: null });
    const settings = reactive({ open: false, department: null, data: null, busy: false, error: null });

    const reload = async () => {
      state.loading = true;
      try {
        const answer = await loadChoices('/api/v1/departments');
        state.items = answer.items;
        state.truncated = answer.truncated;
        state.error = null;
      } catch (e) {
        state.error = e;
      } finally {
        state.loading = false;
      }
    };
    onMounted(reload);

    const paths = () => departmentPaths(state.items);
    const parentChoices = (excluding) => {
      const names = paths();
      const below = new Set();
      if (excluding) {
        below.add(excluding);
        let grew = true;
        while (grew) {
          grew = false;
          state.items.forEach((d) => {
            if (d.parentId && below.has(d.parentId) && !below.has(d.id)) { below.add(d.id); grew = true; }
          });
        }
      }
      return [{ value: '', label: '（顶级部门）' }, ...state.items.filter((d) => !below.has(d.id))
        .map((d) => ({ value: d.id, label: names.get(d.id) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))];
    };

    const submitCreate = async (e) => {
      e.preventDefault();
      creating.value = true;
      try {
        const made = await postJson('/api/v1/departments', { name: create.name.trim(), parentId: create.parentId || null });
        toast(`已新建部门“${made.name}”`);
        create.name = '';
        await reload();
      } catch (failure) {
        toast(problemText(failure), 'error');
      } finally {
        creating.value = false;
      }
    };

    const openEdit = (department) => {
      Object.assign(edit, { open: true, department, name: department.name, parentId: department.parentId || '',
        error: null });
    };
    const submitEdit = async (e) => {
      e.preventDefault();
      const before = edit.department;
      const body = {};
      if (edit.name.trim() !== before.name) body.name = edit.name.trim();
      if ((edit.parentId || null) !== (before.parentId || null)) body.parentId = edit.parentId || null;
      if (Object.keys(body).length === 0) { edit.open = false; return; }
      edit.busy = true;
      try {
        await patch(`/api/v1/departments/${before.id}`, body, { ifMatch: before.version });
        toast('部门已保存');
        edit.open = false;
        await reload();
      } catch (failure) {
        edit.error = failure;
        reportFailure(failure, () => { edit.open = false; reload(); });
      } finally {
        edit.busy = false;
      }
    };

    const openSettings = async (department) => {
      Object.assign(settings, { open: true, department, data: null, error: null });
      try {
        settings.data = await get(`/api/v1/reply-settings/${department.id}`);
      } catch (failure) {
        settings.error = failure;
      }
    };
    const saveSettings = async (e) => {
      e.preventDefault();
      settings.busy = true;
      try {
        settings.data = await put(`/api/v1/reply-settings/${settings.department.id}`,
          { review: !!settings.data.review, assignment: settings.data.assignment });
        toast('答复设置已保存');
        settings.open = false;
      } catch (failure) {
        settings.error = failure;
      } finally {
        settings.busy = false;
      }
    };

    const tree = (parentId) => {
      const children = state.items.filter((d) => (d.parentId || null) === parentId
        || (parentId === null && d.parentId && !state.items.some((p) => p.id === d.parentId)))
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
      if (children.length === 0) return null;
      return h('ul', { class: parentId ? 'admin-tree-sub' : 'admin-tree' }, children.map((d) => h('li', { key: d.id }, [
        h('div', { class: 'admin-tree-node' }, [
          h('span', { class: 'admin-tree-name' }, d.name),
          button('重命名 / 移动', () => openEdit(d), { class: 'btn-small', ariaLabel: `重命名或移动 ${d.name}` }),
          button('答复设置', () => openSettings(d), { class: 'btn-small', ariaLabel: `${d.name} 的答复设置` }),
        ]),
        tree(d.id),
      ])));
    };

    return () => h('div', { class: 'admin-page' }, [
      section('新建部门', h('form', { class: 'row', onSubmit: submitCreate }, [
        textInput('部门名称', create, 'name', { required: true, maxlength: 64 }),
        selectInput('上级部门', create, 'parentId', parentChoices(null)),
        h('div', { class: 'field' }, button(creating.value ? '正在新建…' : '新建部门', null,
          { type: 'submit', kind: 'primary', disabled: creating.value })),
      ])),
      section('部门结构', [
        errorBox(state.error),
        state.loading && state.items.length === 0 ? loadingBox() : null,
        !state.loading && state.items.length === 0 ? h('p', { class: 'muted' }, '还没有部门，请先新建。') : null,
        tree(null),
        state.truncated ? h('p', { class: 'alert alert-warn' }, '部门超过 1000 个，只显示了前 1000 个。') : null,
        h('p', { class: 'hint' }, '同一上级部门下不能重名；部门不能移到自己或其下级部门之下。部门不能删除（案件和人员仍引用它），不再使用时可改名注明。'),
      ]),
      h(Modal, { open: edit.open, title: '重命名或移动部门', onClose: () => { edit.open = false; } }, () => [
        h('form', { onSubmit: submitEdit }, [
          errorBox(edit.error),
          textInput('部门名称', edit, 'name', { required: true, maxlength: 64 }),
          selectInput('上级部门', edit, 'parentId', parentChoices(edit.department && edit.department.id)),
          h('div', { class: 'toolbar' }, [
            button(edit.busy ? '正在保存…' : '保存', null, { type: 'submit', kind: 'primary', disabled: edit.busy }),
            button('取消', () => { edit.open = false; }),
          ]),
        ]),
      ]),
      h(Modal, { open: settings.open, title: settings.department ? `答复设置：${settings.department.name}` : '答复设置',
        onClose: () => { settings.open = false; } }, () => [
        errorBox(settings.error),
        settings.data ? h('form', { onSubmit: saveSettings }, [
          h('div', { class: 'field checkbox' }, [
            h('input', { id: 'admin-reply-review', type: 'checkbox', checked: !!settings.data.review,
              onChange: (e) => { settings.data.review = e.target.checked; } }),
            h('label', { for: 'admin-reply-review' }, '答复须经部门负责人或督办人员审核'),
          ]),
          selectInput('工单分配方式', settings.data, 'assignment', [
            { value: 'auto', label: '自动分配给在岗办理人员' }, { value: 'claim', label: '在部门内等待签收' }]),
          h('div', { class: 'toolbar' }, [
            button(settings.busy ? '正在保存…' : '保存', null, { type: 'submit', kind: 'primary', disabled: settings.busy }),
            button('取消', () => { settings.open = false; }),
          ]),
        ]) : (settings.error ? null : loadingBox()),
      ]),
    ]);
  },
});

// Announcements (#/admin/announcements): a notice to every open console, or to some roles or departments; each is
// audited by the server.
import { h, reactive, defineComponent, onMounted, section, button, textInput, errorBox, toast, formatTime } from '../ui.js';
import { postJson, newKey } from '../api.js';
import { ROLE_NAMES } from '../session.js';
import { checkGroup, loadChoices, departmentPaths } from './admin-common.js';

export default defineComponent({
  name: 'AdminAnnouncements',
  setup() {
    const form = reactive({ message: '', roles: [], departmentIds: [], busy: false, error: null, key: newKey() });
    const sent = reactive({ items: [] });
    const departments = reactive({ items: [] });
    onMounted(async () => {
      try { departments.items = (await loadChoices('/api/v1/departments')).items; } catch (e) { form.error = e; }
    });
    const submit = async (e) => {
      e.preventDefault();
      form.busy = true;
      form.error = null;
      try {
        const body = { message: form.message.trim() };
        if (form.roles.length) body.roles = [...form.roles];
        if (form.departmentIds.length) body.departmentIds = [...form.departmentIds];
        const answer = await postJson('/api/v1/events/announcements', body, { idempotencyKey: form.key });
        sent.items.unshift(answer.data);
        toast('通知已发送');
        form.message = '';
        form.key = newKey();
      } catch (failure) {
        form.error = failure;
      } finally {
        form.busy = false;
      }
    };
    return () => {
      const paths = departmentPaths(departments.items);
      return h('div', { class: 'admin-page' }, [
        section('发送通知', h('form', { onSubmit: submit }, [
          errorBox(form.error),
          textInput('通知内容', form, 'message', { multiline: true, rows: 3, required: true, maxlength: 500 }),
          checkGroup('只发给这些角色（不选则发给所有人）', Object.entries(ROLE_NAMES).map(([value, label]) => ({ value, label })),
            form.roles, { class: 'admin-checks-inline' }),
          checkGroup('只发给这些部门（不选则不限部门）', departments.items.map((d) => ({ value: d.id, label: paths.get(d.id) })),
            form.departmentIds, { empty: '还没有部门' }),
          button(form.busy ? '正在发送…' : '发送', null, { type: 'submit', kind: 'primary', disabled: form.busy }),
        ])),
        sent.items.length ? section('本次已发送', h('ul', sent.items.map((n) => h('li', `${formatTime(n.at)} ${n.message}`)))) : null,
      ]);
    };
  },
});

// "安排发布": an approved post on one or more of the person's accounts at a Beijing date and time. Each account's
// request carries its own Idempotency-Key, kept while the dialog is open, so a retried click never schedules twice.
import {
  h, ref, reactive, watch, computed, defineComponent, Modal, button, field, errorBox, loadingBox, problemText, uid,
} from '../ui.js';
import * as api from '../api.js';
import { instantOfInputs } from './calendar-views.js';

export const CHANNEL_OF_TYPE = { wechat_mp: 'wechat', weibo: 'weibo', wechat_miniapp: 'miniapp' };
export const TYPE_NAME = { wechat_mp: '公众号', weibo: '微博', wechat_miniapp: '小程序' };

/** Which account types a post can go to: those it has a channel variant for. */
function fits(post, account) {
  const channel = CHANNEL_OF_TYPE[account.type];
  return channel === 'miniapp' ? !!post.miniapp : !!post[channel];
}

export const ScheduleDialog = defineComponent({
  name: 'ScheduleDialog',
  props: { open: Boolean, accounts: Array, date: String, time: String },
  emits: ['close', 'scheduled'],
  setup(props, { emit }) {
    const posts = reactive({ items: [], next: null, loading: false, error: null });
    const form = reactive({ postId: '', accountIds: [], mode: 'freepublish', date: '', time: '' });
    const busy = ref(false);
    const failures = ref([]);
    let keys = {};

    const loadPosts = async (more) => {
      posts.loading = true;
      posts.error = null;
      try {
        const page = await api.get(`/api/v1/posts${api.query({ status: 'approved', limit: 50,
          cursor: more ? posts.next : undefined })}`);
        posts.items = more ? [...posts.items, ...page.items] : page.items;
        posts.next = page.next;
        if (!form.postId && posts.items.length > 0) form.postId = posts.items[0].id;
      } catch (e) {
        posts.error = e;
      } finally {
        posts.loading = false;
      }
    };

    watch(() => props.open, (open) => {
      if (!open) return;
      Object.assign(form, { postId: '', accountIds: [], mode: 'freepublish', date: props.date, time: props.time });
      failures.value = [];
      keys = {};
      posts.items = [];
      posts.next = null;
      loadPosts(false);
    }, { immediate: true });

    const post = computed(() => posts.items.find((p) => p.id === form.postId) || null);
    const choices = computed(() => (post.value ? props.accounts.filter((a) => fits(post.value, a)) : []));
    const chosen = computed(() => choices.value.filter((a) => form.accountIds.includes(a.id)));
    const anyWeChat = computed(() => chosen.value.some((a) => a.type === 'wechat_mp'));

    const toggle = (id, on) => {
      form.accountIds = on ? [...form.accountIds, id] : form.accountIds.filter((x) => x !== id);
    };

    const submit = async () => {
      busy.value = true;
      failures.value = [];
      const at = instantOfInputs(form.date, form.time);
      const made = [];
      const failed = [];
      for (const account of chosen.value) {
        const channel = CHANNEL_OF_TYPE[account.type];
        const body = { channel, accountId: account.id, at };
        if (channel === 'wechat') body.mode = form.mode;
        const keyName = `${form.postId}|${account.id}|${body.mode || ''}`;
        keys[keyName] = keys[keyName] || api.newKey();
        try {
          made.push(await api.postJson(`/api/v1/posts/${encodeURIComponent(form.postId)}/slots`, body,
            { idempotencyKey: keys[keyName] }));
          form.accountIds = form.accountIds.filter((x) => x !== account.id);
        } catch (e) {
          failed.push({ account: account.name, error: e });
        }
      }
      busy.value = false;
      failures.value = failed;
      if (made.length > 0) emit('scheduled', made);
      if (failed.length === 0) emit('close');
    };

    const postField = () => {
      if (posts.error) return errorBox(posts.error);
      if (posts.items.length === 0) return posts.loading ? loadingBox('正在读取已通过审核的稿件…')
        : h('p', { class: 'muted' }, '暂无已通过审核的稿件。');
      return h('div', { class: 'row' }, [
        field('稿件（已通过审核）', (id) => h('select', { id, onChange: (e) => {
          form.postId = e.target.value;
          form.accountIds = [];
        } }, posts.items.map((p) => h('option', { value: p.id, selected: p.id === form.postId }, p.title)))),
        posts.next ? button(posts.loading ? '正在加载…' : '加载更多', () => loadPosts(true),
          { disabled: posts.loading, class: 'field-button' }) : null,
      ]);
    };

    const accountField = () => h('fieldset', { class: 'schedule-accounts' }, [
      h('legend', '发布账号'),
      choices.value.length === 0
        ? h('p', { class: 'muted' }, post.value ? '您管理的账号中没有适合这篇稿件渠道的账号。' : '请先选择稿件。')
        : choices.value.map((account) => {
          const id = uid('acct');
          return h('div', { class: 'field checkbox', key: account.id }, [
            h('input', { id, type: 'checkbox', checked: form.accountIds.includes(account.id),
              onChange: (e) => toggle(account.id, e.target.checked) }),
            h('label', { for: id }, account.name),
            h('span', { class: 'muted account-type' }, TYPE_NAME[account.type]
              + (account.kind ? (account.kind === 'service' ? '·服务号' : '·订阅号') : '')),
          ]);
        }),
    ]);

    return () => h(Modal, { open: props.open, title: '安排发布', onClose: () => emit('close') }, () => [
      postField(),
      accountField(),
      anyWeChat.value ? field('公众号发布方式', (id) => h('select', { id, onChange: (e) => { form.mode = e.target.value; } }, [
        h('option', { value: 'freepublish', selected: form.mode === 'freepublish' }, '发布（不通知关注者，不占群发次数）'),
        h('option', { value: 'mass', selected: form.mode === 'mass' }, '群发（通知关注者，占用群发次数）'),
      ])) : null,
      h('div', { class: 'row' }, [
        field('发布日期', (id) => h('input', { id, type: 'date', value: form.date, required: true,
          onInput: (e) => { form.date = e.target.value; } })),
        field('发布时间（北京时间）', (id) => h('input', { id, type: 'time', value: form.time, required: true,
          onInput: (e) => { form.time = e.target.value; } })),
      ]),
      failures.value.length > 0 ? h('div', { class: 'alert alert-error', role: 'alert' }, h('ul', failures.value.map(
        (f) => h('li', `${f.account}：${problemText(f.error)}`)))) : null,
      h('div', { class: 'toolbar' }, [
        button(busy.value ? '正在排期…' : '确认排期', submit, { kind: 'primary',
          disabled: busy.value || !form.postId || chosen.value.length === 0 || !form.date || !form.time }),
        button('关闭', () => emit('close')),
      ]),
    ]);
  },
});

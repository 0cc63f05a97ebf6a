// The console's shell: sign-in, the header and the navigation for the person's roles, the hash router that loads
// each page, the live stream and the attention badge.
import {
  h, ref, reactive, computed, watch, defineComponent, onMounted, shallowRef, Toasts, button, textInput, errorBox,
  loadingBox, toast, problemText,
} from './ui.js';
import * as api from './api.js';
import * as live from './live.js';
import { session, loadMe, clear, has, ROLE_NAMES } from './session.js';
import { routes } from './routes.js';
import { notify, toggleBadge, toggleSound, seen, attention } from './notify.js';

const { createApp, markRaw } = window.Vue;

/** The current hash route: path, params and query. */
export const route = reactive({ path: '/', params: {}, query: {}, match: null });

function compile(pattern) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:[a-zA-Z]+/g, (name) => {
    names.push(name.slice(1));
    return '([^/]+)';
  })}$`);
  return { regex, names };
}

const compiled = routes.map((entry) => ({ entry, ...compile(entry.path) }));

/** Route parameters are ids and slugs: anything else (a crafted link's "../" or "?") matches no page. */
const PARAM = /^[A-Za-z0-9_-]{1,64}$/;

function resolve() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const at = hash.indexOf('?');
  const path = at < 0 ? hash : hash.slice(0, at);
  route.path = path;
  route.query = Object.fromEntries(new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)));
  route.match = null;
  route.params = {};
  for (const candidate of compiled) {
    const found = candidate.regex.exec(path);
    if (found && found.slice(1).every((value) => PARAM.test(value))) {
      route.match = candidate.entry;
      route.params = Object.fromEntries(candidate.names.map((name, i) => [name, found[i + 1]]));
      break;
    }
  }
}

/** Goes to a console path (e.g. navigate('/cases/abc')). */
export function navigate(path) {
  window.location.hash = `#${path}`;
}

const SignIn = defineComponent({
  name: 'SignIn',
  emits: ['signed-in'],
  setup(props, { emit }) {
    const form = reactive({ username: '', password: '' });
    const error = ref(null);
    const busy = ref(false);
    const submit = async (e) => {
      e.preventDefault();
      busy.value = true;
      error.value = null;
      try {
        await api.signIn(form.username, form.password);
        form.password = '';
        emit('signed-in');
      } catch (failure) {
        error.value = failure;
      } finally {
        busy.value = false;
      }
    };
    return () => h('main', { class: 'signin', id: 'main' }, [
      h('form', { class: 'signin-form', onSubmit: submit, 'aria-labelledby': 'signin-title' }, [
        h('h1', { id: 'signin-title' }, '政务新媒体工作台'),
        h('p', { class: 'muted' }, '请使用单位分配的账号登录'),
        errorBox(error.value),
        textInput('用户名', form, 'username', { required: true, autocomplete: 'username', id: 'signin-username' }),
        textInput('密码', form, 'password', { type: 'password', required: true, autocomplete: 'current-password',
          id: 'signin-password' }),
        button(busy.value ? '正在登录…' : '登录', null, { type: 'submit', kind: 'primary', disabled: busy.value }),
      ]),
    ]);
  },
});

const pageCache = new Map();

const Page = defineComponent({
  name: 'Page',
  setup() {
    const component = shallowRef(null);
    const error = ref(null);
    const load = async (entry) => {
      error.value = null;
      if (pageCache.has(entry)) {
        component.value = pageCache.get(entry);
        return;
      }
      component.value = null;
      try {
        const module = await entry.load();
        pageCache.set(entry, markRaw(module.default));
        if (route.match === entry) {
          component.value = pageCache.get(entry);
        }
      } catch (e) {
        if (route.match === entry) {
          error.value = e;
        }
      }
    };
    watch(() => route.match, (entry) => { if (entry) load(entry); }, { immediate: true });
    return () => {
      const entry = route.match;
      if (!entry) {
        return h('div', [h('p', '请从左侧导航选择功能。')]);
      }
      if (!visibleTo(entry)) {
        return h('p', { class: 'alert alert-error', role: 'alert' }, '您没有使用此功能的权限。');
      }
      if (error.value) {
        return h('div', [errorBox({ title: '页面加载失败，请检查网络后重试' }),
          button('重新加载', () => load(entry))]);
      }
      if (component.value === null || pageCache.get(entry) !== component.value) {
        return loadingBox();
      }
      return h(component.value, { key: route.path, params: route.params, query: route.query });
    };
  },
});

/**
 * Whether the navigation offers a page to the signed-in person. An admin reaches every page, except those whose
 * routes demand the role itself ({@code exactRoles}: only reviewers decide reviews).
 */
function visibleTo(entry) {
  if (entry.roles.length === 0) {
    return true;
  }
  return entry.exactRoles ? entry.roles.some((role) => (session.me ? session.me.roles : []).includes(role))
    : has(...entry.roles);
}

/**
 * New and overdue work calls for attention on every page (the header's badge, and the tone if wanted), once per
 * case and kind: a dispatcher in the case's department receives the same change twice. A case reassigned to me
 * later (after I have seen it as new) is not signalled again.
 */
function watchForWork() {
  const seenKeys = [];
  const once = (key, text) => {
    if (seenKeys.includes(key)) return;
    seenKeys.push(key);
    if (seenKeys.length > 500) seenKeys.shift();
    attention(text);
  };
  const number = (data) => (data && data.number) || '';
  // A case routed and assigned at once arrives as case.new and case.assigned: one new case, one signal.
  live.on('case.new', (data) => once(`new:${data && data.caseId}`, `新留言 ${number(data)}`));
  live.on('case.assigned', (data) => {
    if (data && session.me && data.assigneeId === session.me.id) {
      once(`new:${data.caseId}`, `分配给您的留言 ${number(data)}`);
    }
  });
  live.on('case.overdue', (data) => once(`overdue:${data && (data.caseId || data.id)}:${data && data.dueAt}`,
    `留言已超期 ${number(data)}`));
  live.on('case.extension', (data) => once(`extension:${data && (data.caseId || data.id)}:${data && data.days}`,
    `延期申请待审批 ${number(data)}`));
  live.on('hot-issue.reached', (data) => once(`hot:${data && data.hotIssueId}`, '出现新的热点问题'));
}
watchForWork();

const Shell = defineComponent({
  name: 'Shell',
  setup() {
    const connected = ref(false);
    const menuOpen = ref(false);
    live.onStatus((value) => { connected.value = value; });
    const visible = computed(() => routes.filter((entry) => entry.nav && visibleTo(entry)));
    const groups = computed(() => {
      const byGroup = new Map();
      visible.value.forEach((entry) => {
        if (!byGroup.has(entry.group)) byGroup.set(entry.group, []);
        byGroup.get(entry.group).push(entry);
      });
      return [...byGroup.entries()];
    });
    const signOut = async () => {
      try {
        await api.signOut();
      } catch (e) {
        if (e.status !== 401) {
          // The session (and its cookie) still stands: say so rather than leave it open behind a sign-in form.
          toast(`退出失败，请重试：${problemText(e)}`, 'error');
          return;
        }
      }
      live.stop(true);
      // A fresh page: nothing of this person (caches, lists, the last event) stays in memory for the next one.
      window.location.replace('/console/');
    };
    return () => {
      const me = session.me;
      const title = route.match ? route.match.title : '页面不存在';
      document.title = `${title} - 政务新媒体工作台`;
      return h('div', { class: 'shell' }, [
        h('a', { class: 'skip-link', href: '#main', onClick: (e) => { e.preventDefault(); document.getElementById('main').focus(); } }, '跳到主要内容'),
        h('header', { class: 'topbar' }, [
          h('button', { type: 'button', class: 'btn menu-toggle', 'aria-expanded': String(menuOpen.value),
            'aria-controls': 'sidenav', onClick: () => { menuOpen.value = !menuOpen.value; } }, '菜单'),
          h('span', { class: 'brand' }, '政务新媒体工作台'),
          h('span', { class: ['live', connected.value ? 'live-on' : 'live-off'], role: 'status' },
            connected.value ? '实时已连接' : '实时未连接'),
          h('span', { class: 'spacer' }),
          notify.badgeOn && notify.unseen > 0
            ? h('button', { type: 'button', class: 'btn attention', title: notify.last, onClick: seen,
              'aria-label': `${notify.unseen} 条新提醒，点击标为已读` }, `新提醒 ${notify.unseen}`) : null,
          button(notify.badgeOn ? '角标：开' : '角标：关', toggleBadge, { class: 'btn-small', ariaLabel:
            notify.badgeOn ? '关闭提醒角标' : '打开提醒角标' }),
          button(notify.soundOn ? '提示音：开' : '提示音：关', toggleSound, { class: 'btn-small', ariaLabel:
            notify.soundOn ? '关闭提示音' : '打开提示音' }),
          h('span', { class: 'who' }, `${me.displayName}（${me.roles.map((r) => ROLE_NAMES[r] || r).join('、')}）`),
          button('退出登录', signOut, { class: 'btn-small' }),
        ]),
        h('div', { class: 'body' }, [
          h('nav', { id: 'sidenav', class: ['sidenav', menuOpen.value ? 'open' : null], 'aria-label': '主导航' },
            groups.value.map(([group, entries]) => h('div', { class: 'navgroup' }, [
              group ? h('h2', { class: 'navgroup-title' }, group) : null,
              h('ul', entries.map((entry) => h('li', h('a', {
                href: `#${entry.path}`,
                'aria-current': route.match === entry ? 'page' : undefined,
                onClick: () => { menuOpen.value = false; },
              }, entry.nav)))),
            ]))),
          h('main', { id: 'main', tabindex: '-1' }, [h('h1', { class: 'page-title' }, title), h(Page)]),
        ]),
        h(Toasts),
      ]);
    };
  },
});

const Root = defineComponent({
  name: 'Root',
  setup() {
    const state = ref('starting');
    const failure = ref(null);
    const enter = async () => {
      try {
        await loadMe();
        state.value = 'in';
        live.start();
      } catch (e) {
        failure.value = e;
        state.value = 'out';
      }
    };
    api.onSignedOut(() => {
      live.stop(true);
      clear();
      state.value = 'out';
    });
    onMounted(async () => {
      if (await api.resume()) {
        await enter();
      } else {
        state.value = 'out';
      }
    });
    return () => {
      if (state.value === 'starting') {
        return h('main', { id: 'main', class: 'signin' }, loadingBox('正在进入工作台…'));
      }
      if (state.value === 'out') {
        return h(SignIn, { onSignedIn: enter });
      }
      return h(Shell);
    };
  },
});

window.addEventListener('hashchange', () => {
  resolve();
  const main = document.getElementById('main');
  if (main) main.focus({ preventScroll: true });
});
resolve();
createApp(Root).mount('#app');

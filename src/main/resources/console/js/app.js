// The console's shell: sign-in, the header and the navigation for the person's roles, the hash router that loads
// each page, the live stream and the attention badge.
import {
  h, ref, reactive, computed, defineComponent, onMounted, shallowRef, Toasts, button, textInput, errorBox, loadingBox,
} from './ui.js';
import * as api from './api.js';
import * as live from './live.js';
import { session, loadMe, clear, has, ROLE_NAMES } from './session.js';
import { routes } from './routes.js';
import { notify, toggleBadge, toggleSound, seen } from './notify.js';

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

/**
 * Whether the person may open the page. {@code exactRoles} pages want one of their roles itself: being admin (who
 * otherwise counts as every role) is not enough, as the server asks for that role too.
 */
function allowed(entry) {
  if (entry.roles.length === 0) return true;
  return entry.exactRoles ? entry.roles.some((role) => (session.me?.roles || []).includes(role)) : has(...entry.roles);
}

const compiled = routes.map((entry) => ({ entry, ...compile(entry.path) }));

function resolve() {
  const hash = decodeURI(window.location.hash.replace(/^#/, '')) || '/';
  const [path, search] = hash.split('?');
  route.path = path;
  route.query = Object.fromEntries(new URLSearchParams(search || ''));
  route.match = null;
  route.params = {};
  for (const candidate of compiled) {
    const found = candidate.regex.exec(path);
    if (found) {
      route.match = candidate.entry;
      route.params = Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
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
    let loading = null;
    const load = async (entry) => {
      if (pageCache.has(entry)) {
        component.value = pageCache.get(entry);
        return;
      }
      component.value = null;
      loading = entry;
      try {
        const module = await entry.load();
        const loaded = markRaw(module.default);
        pageCache.set(entry, loaded);
        if (loading === entry) {
          component.value = loaded;
        }
      } catch (e) {
        error.value = e;
      }
    };
    return () => {
      const entry = route.match;
      if (!entry) {
        return h('div', [h('h1', '页面不存在'), h('p', '请从左侧导航选择功能。')]);
      }
      if (!allowed(entry)) {
        return h('div', [h('h1', entry.title), h('p', { class: 'alert alert-error', role: 'alert' }, '您没有使用此功能的权限。')]);
      }
      if (component.value === null || pageCache.get(entry) !== component.value) {
        load(entry);
        return error.value ? errorBox({ title: '页面加载失败，请刷新重试' }) : loadingBox();
      }
      return h(component.value, { key: route.path, params: route.params, query: route.query });
    };
  },
});

const Shell = defineComponent({
  name: 'Shell',
  setup() {
    const connected = ref(false);
    const menuOpen = ref(false);
    live.onStatus((value) => { connected.value = value; });
    const visible = computed(() => routes.filter((entry) => entry.nav && allowed(entry)));
    const groups = computed(() => {
      const byGroup = new Map();
      visible.value.forEach((entry) => {
        if (!byGroup.has(entry.group)) byGroup.set(entry.group, []);
        byGroup.get(entry.group).push(entry);
      });
      return [...byGroup.entries()];
    });
    const signOut = async () => {
      live.stop();
      try { await api.signOut(); } catch (e) { /* signed out locally anyway */ }
    };
    return () => {
      const me = session.me;
      const title = route.match ? route.match.title : '页面不存在';
      document.title = `${title} - 政务新媒体工作台`;
      return h('div', { class: 'shell' }, [
        h('a', { class: 'skip-link', href: '#main', onClick: (e) => { e.preventDefault(); document.getElementById('main').focus(); } }, '跳到主要内容'),
        h('header', { class: 'topbar' }, [
          button('菜单', () => { menuOpen.value = !menuOpen.value; }, { class: 'menu-toggle',
            ariaLabel: menuOpen.value ? '收起导航' : '展开导航' }),
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
          h('nav', { class: ['sidenav', menuOpen.value ? 'open' : null], 'aria-label': '主导航' },
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
      live.stop();
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

// The landing page: who is signed in, in which departments and with which roles, and where their work is.
import { h, defineComponent, section, link } from '../ui.js';
import { session, ROLE_NAMES, has } from '../session.js';
import { routes } from '../routes.js';

export default defineComponent({
  name: 'HomePage',
  setup() {
    return () => {
      const me = session.me;
      const places = routes.filter((route) => route.nav && route.path !== '/' && !route.path.includes(':')
        && (route.roles.length === 0 || has(...route.roles)));
      return h('div', { class: 'home' }, [
        section('我的信息', h('dl', { class: 'facts' }, [
          h('dt', '姓名'), h('dd', me.displayName),
          h('dt', '用户名'), h('dd', me.username),
          h('dt', '角色'), h('dd', me.roles.map((role) => ROLE_NAMES[role] || role).join('、') || '无'),
        ])),
        section('常用功能', h('ul', { class: 'tiles' }, places.map((route) => h('li', link(route.nav, route.path))))),
      ]);
    };
  },
});

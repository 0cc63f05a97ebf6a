// The console's pages. Each page is its own module, loaded when first opened; {@code roles} decide who sees it in
// the navigation (the server checks every call anyway). Paths may hold :params (e.g. /cases/:id); entries without
// {@code nav} are reached by links only. Add a page: one line in its area's block and a module under pages/.
export const routes = [
  { path: '/', title: '工作台', nav: '工作台', group: '', roles: [], load: () => import('./pages/home.js') },

  // Content: editors (documents, interpretations, posts, consultations)

  // Review (三审)

  // Publishing calendar

  // Citizens' messages: inbox, case page, dispatch and supervision
  { path: '/inbox', title: '留言办理', nav: '留言办理', group: '留言', roles: ['replier', 'dispatcher', 'supervisor'], load: () => import('./pages/inbox.js') },
  { path: '/cases/:id', title: '留言详情', group: '留言', roles: ['replier', 'dispatcher', 'supervisor'], load: () => import('./pages/case.js') },
  { path: '/dispatch', title: '分拨', nav: '分拨', group: '留言', roles: ['dispatcher'], load: () => import('./pages/dispatch.js') },
  { path: '/supervision', title: '督办看板', nav: '督办看板', group: '留言', roles: ['supervisor'], load: () => import('./pages/supervision.js') },
  { path: '/supervision/department', title: '本部门督办看板', group: '留言', roles: ['replier', 'supervisor'], load: () => import('./pages/supervision.js') },
  { path: '/hot-issues', title: '热点问题', nav: '热点问题', group: '留言', roles: ['replier', 'dispatcher', 'supervisor'], load: () => import('./pages/hot-issues.js') },

  // Dashboard

  // Administration

];

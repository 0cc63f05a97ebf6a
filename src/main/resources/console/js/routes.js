// The console's pages. Each page is its own module, loaded when first opened; {@code roles} decide who sees it in
// the navigation (the server checks every call anyway). Paths may hold :params (e.g. /cases/:id); entries without
// {@code nav} are reached by links only. Add a page: one line in its area's block and a module under pages/.
export const routes = [
  { path: '/', title: '工作台', nav: '工作台', group: '', roles: [], load: () => import('./pages/home.js') },

  // Content: editors (documents, interpretations, posts, consultations)

  // Review (三审)

  // Publishing calendar

  // Citizens' messages: inbox, case page, dispatch and supervision

  // Dashboard

  // Administration
  { path: '/admin/departments', title: '部门管理', nav: '部门', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-departments.js') },
  { path: '/admin/staff', title: '人员与角色', nav: '人员与角色', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-staff.js') },
  { path: '/admin/accounts', title: '新媒体账号', nav: '新媒体账号', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-accounts.js') },
  { path: '/admin/accounts/:id/replies', title: '自动回复与菜单', group: '系统管理', roles: ['admin', 'editor'], load: () => import('./pages/admin-replies.js') },
  { path: '/admin/routing', title: '分拨规则', nav: '分拨规则', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-routing.js') },
  { path: '/admin/words', title: '词库与链接域名', nav: '词库与域名', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-words.js') },
  { path: '/admin/holidays', title: '节假日安排', nav: '节假日安排', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-holidays.js') },
  { path: '/admin/audit', title: '审计日志', nav: '审计日志', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-audit.js') },
  { path: '/admin/announcements', title: '发送通知', nav: '发送通知', group: '系统管理', roles: ['admin'], load: () => import('./pages/admin-announcements.js') },

];

// The console's pages. Each page is its own module, loaded when first opened; {@code roles} decide who sees it in
// the navigation (the server checks every call anyway). Paths may hold :params (e.g. /cases/:id); entries without
// {@code nav} are reached by links only; {@code exactRoles} pages are shown only to holders of one of their roles
// (not to every admin). Add a page: one line in its area's block and a module under pages/.
export const routes = [
  { path: '/', title: '工作台', nav: '工作台', group: '', roles: [], load: () => import('./pages/home.js') },

  // Content: editors (documents, interpretations, posts, consultations)
  { path: '/content', title: '内容管理', nav: '内容管理', group: '内容', roles: ['editor', 'reviewer'], load: () => import('./pages/content.js') },
  { path: '/documents/:id', title: '政策文件', group: '内容', roles: ['editor', 'reviewer'], load: () => import('./pages/editor-document.js') },
  { path: '/interpretations/:id', title: '政策解读', group: '内容', roles: ['editor', 'reviewer'], load: () => import('./pages/editor-interpretation.js') },
  { path: '/posts/:id', title: '推文', group: '内容', roles: ['editor', 'reviewer'], load: () => import('./pages/editor-post.js') },
  { path: '/consultations', title: '意见征集', nav: '意见征集', group: '内容', roles: ['editor'], load: () => import('./pages/consultations.js') },
  { path: '/consultations/:id', title: '意见征集详情', group: '内容', roles: ['editor'], load: () => import('./pages/consultation.js') },

  // Review (三审)
  { path: '/review', title: '审核', nav: '审核', group: '内容', roles: ['reviewer'], exactRoles: true, load: () => import('./pages/review.js') },
  { path: '/review/:kind/:id', title: '审核详情', group: '内容', roles: ['reviewer'], exactRoles: true, load: () => import('./pages/review-item.js') },

  // Publishing calendar
  { path: '/calendar', title: '发布日历', nav: '发布日历', group: '发布', roles: ['editor', 'reviewer', 'admin'], load: () => import('./pages/calendar.js') },

  // Citizens' messages: inbox, case page, dispatch and supervision
  { path: '/inbox', title: '留言办理', nav: '留言办理', group: '留言', roles: ['replier', 'dispatcher', 'supervisor'], load: () => import('./pages/inbox.js') },
  { path: '/cases/:id', title: '留言详情', group: '留言', roles: ['replier', 'dispatcher', 'supervisor'], load: () => import('./pages/case.js') },
  { path: '/dispatch', title: '分拨', nav: '分拨', group: '留言', roles: ['dispatcher'], load: () => import('./pages/dispatch.js') },
  { path: '/supervision', title: '督办看板', nav: '督办看板', group: '留言', roles: ['supervisor'], load: () => import('./pages/supervision.js') },
  { path: '/supervision/department', title: '本部门督办看板', group: '留言', roles: ['replier', 'supervisor'], load: () => import('./pages/supervision.js') },
  { path: '/hot-issues', title: '热点问题', nav: '热点问题', group: '留言', roles: ['replier', 'dispatcher', 'supervisor'], load: () => import('./pages/hot-issues.js') },

  // Dashboard
  { path: '/dashboard', title: '数据看板', nav: '数据看板', group: '统计', roles: [], load: () => import('./pages/dashboard.js') },

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

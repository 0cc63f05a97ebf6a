// The console's pages. Each page is its own module, loaded when first opened; {@code roles} decide who sees it in
// the navigation (the server checks every call anyway). Paths may hold :params (e.g. /cases/:id); entries without
// {@code nav} are reached by links only. Add a page: one line in its area's block and a module under pages/.
export const routes = [
  { path: '/', title: '工作台', nav: '工作台', group: '', roles: [], load: () => import('./pages/home.js') },

  // Content: editors (documents, interpretations, posts, consultations)

  // Review (三审)

  // Publishing calendar
  { path: '/calendar', title: '发布日历', nav: '发布日历', group: '发布', roles: ['editor', 'reviewer', 'admin'], load: () => import('./pages/calendar.js') },

  // Citizens' messages: inbox, case page, dispatch and supervision

  // Dashboard

  // Administration

];

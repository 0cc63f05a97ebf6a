// The console's pages. Each page is its own module, loaded when first opened; {@code roles} decide who sees it in
// the navigation (the server checks every call anyway). Paths may hold :params (e.g. /cases/:id).
// Add a page: one line here and one module under pages/ exporting a component as default.
export const routes = [
  { path: '/', title: '工作台', nav: '工作台', group: '', roles: [], load: () => import('./pages/home.js') },
];

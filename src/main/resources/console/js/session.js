// Who is signed in (GET /api/v1/auth/me) and what the console shows them. The server decides every permission;
// this only hides what a person could not use anyway.
import { reactive } from './ui.js';
import { get } from './api.js';

export const session = reactive({ me: null });

export async function loadMe() {
  session.me = await get('/api/v1/auth/me');
  return session.me;
}

export function clear() {
  session.me = null;
}

/** Whether the signed-in person holds any of these roles (admins hold every role's reach). */
export function has(...roles) {
  const mine = session.me ? session.me.roles : [];
  return mine.includes('admin') || roles.some((role) => mine.includes(role));
}

export const ROLE_NAMES = {
  admin: '管理员', editor: '编辑', reviewer: '审核员', dispatcher: '分派员', replier: '办理人员', supervisor: '督办人员',
};

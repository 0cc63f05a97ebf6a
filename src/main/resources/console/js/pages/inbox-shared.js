// What the inbox, case, dispatch and supervision pages share: the Chinese names of the case API's values, the
// department directory, the working-day countdown badge and a clock that ticks every minute.
import { h, ref, onMounted, onUnmounted, badge, link, formatTime, formatDate } from '../ui.js';
import { get, query } from '../api.js';
import { countdown } from '../workdays.js';
import { session } from '../session.js';

export const STATUS = {
  dispatching: '待分拨', assigned: '已分派', in_progress: '办理中', paused: '已暂停计时', answered: '已答复', closed: '已办结',
};
export const STATUS_TONE = {
  dispatching: 'warn', assigned: 'info', in_progress: 'info', paused: 'muted', answered: 'ok', closed: 'muted',
};
export const CHANNEL = {
  wechat: '微信公众号', wechat_comment: '公众号文章留言', miniapp: '小程序', weibo: '微博', phone: '电话', letter: '来信',
  visit: '来访', mailbox: '网上信箱',
};
export const CATEGORY = {
  consultation: '咨询', complaint: '投诉', suggestion: '建议', help: '求助', report: '举报', disclosure_request: '依申请公开',
};
export const FLAG = {
  supervised: '督办', held_for_review: '待人工复核', 'delivery-failed': '答复未送达', 'supervisor-decision': '待督办决定',
};
export const ROUTE = {
  wechat_kf: '公众号客服消息', wechat_template: '公众号模板消息', miniapp_subscribe: '小程序订阅消息',
  miniapp_page: '小程序留言页面', weibo_comment: '微博评论回复', wechat_comment: '公众号文章留言回复', none: '无可用渠道',
};
export const DELIVERY = { delivered: '已送达', failed: '发送失败', available: '可在小程序查看' };
export const DELIVERY_TONE = { delivered: 'ok', failed: 'danger', available: 'info' };

export function statusBadge(status) {
  return badge(STATUS[status] || status, STATUS_TONE[status] || 'info');
}

export function flagBadges(flags) {
  return (flags || []).map((flag) => badge(FLAG[flag] || flag, flag === 'supervised' || flag === 'delivery-failed'
    ? 'danger' : 'warn'));
}

/** The countdown badge of a case (list item or detail), as of {@code now}. */
export function deadlineCell(item, now) {
  const shown = countdown(item, new Date(now));
  return h('span', { class: 'deadline' }, [
    badge(shown.text + (shown.provisional ? '（暂按周一至周五）' : ''), shown.tone),
    item.dueDate ? h('span', { class: 'muted due-date' }, `截止 ${item.dueDate}`) : null,
  ]);
}

/** A ref holding Date.now(), refreshed every minute while the page is open. */
export function minuteClock() {
  const now = ref(Date.now());
  let timer = null;
  onMounted(() => { timer = setInterval(() => { now.value = Date.now(); }, 60000); });
  onUnmounted(() => clearInterval(timer));
  return now;
}

let directory = null;

/** Every department, id → name (the directory is small; read once per page load). */
export function departments() {
  if (!directory) {
    directory = (async () => {
      const names = new Map();
      let cursor = '';
      for (let page = 0; page < 20 && cursor !== null; page += 1) {
        const answer = await get(`/api/v1/departments${query({ limit: 200, cursor })}`);
        answer.items.forEach((d) => names.set(d.id, d.name));
        cursor = answer.next || null;
      }
      return names;
    })().catch((e) => { directory = null; throw e; });
  }
  return directory;
}

export function departmentName(names, id) {
  if (!id) return '未分派部门';
  return (names && names.get(id)) || '（未知部门）';
}

export function caseLink(item) {
  return link(item.number || '（未编号）', `/cases/${item.id}`);
}

export function me() {
  return session.me || { id: null, roles: [], departmentIds: [], headOf: [] };
}

export { formatTime, formatDate };

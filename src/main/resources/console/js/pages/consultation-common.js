// Chinese names of a consultation's kinds, states and decisions.
import { badge } from '../ui.js';

export const CONSULTATION_STATUS = {
  scheduled: { label: '未开始', tone: 'muted' },
  open: { label: '征集中', tone: 'info' },
  ended: { label: '已结束', tone: 'warn' },
  summarized: { label: '已公布采纳情况', tone: 'ok' },
};

export const KIND_NAMES = { rule: '规章草案', major_decision: '重大决策', normative: '规范性文件', other: '其他' };

export const DECISIONS = { adopted: '采纳', partly: '部分采纳', not_adopted: '不采纳' };

export const COMMENT_STATUS = {
  shown: { label: '已通过筛查', tone: 'ok' }, held: { label: '待人工审核', tone: 'warn' }, refused: { label: '已屏蔽', tone: 'danger' },
};

export function consultationBadge(status) {
  const s = CONSULTATION_STATUS[status] || { label: status, tone: 'info' };
  return badge(s.label, s.tone);
}

// How a post will look on each chosen channel: the WeChat article (title, author, cover, body), the Weibo status
// (its text with Weibo's count and the limit, its picture) and the mini-program card (cover thumbnail, title, summary).
import { h, ref, defineComponent, watch, section } from '../ui.js';
import * as api from '../api.js';
import { weiboCount, WEIBO_LIMIT } from './content-common.js';

/** An image of a library asset, loaded through its signed URL. */
const Thumb = defineComponent({
  name: 'Thumb',
  props: { assetId: String, alt: String, thumbnail: Boolean, cls: String },
  setup(props) {
    const url = ref('');
    const load = async () => {
      url.value = '';
      if (!props.assetId) return;
      try { url.value = await api.mediaUrl(props.assetId, props.thumbnail); } catch (e) { url.value = ''; }
    };
    watch(() => props.assetId, load, { immediate: true });
    return () => (url.value ? h('img', { src: url.value, alt: props.alt || '', class: props.cls || 'thumb' })
      : h('span', { class: ['thumb', 'thumb-empty', props.cls] }, '无图'));
  },
});

export const Previews = defineComponent({
  name: 'Previews',
  props: { channels: Array, title: String, author: String, digest: String, html: String, coverAssetId: String,
    weiboText: String, weiboPicture: String },
  setup(props) {
    const wechat = () => h('article', { class: 'preview preview-wechat', 'aria-label': '公众号文章预览' }, [
      h('h3', '公众号文章'),
      props.coverAssetId ? h(Thumb, { assetId: props.coverAssetId, alt: '封面', cls: 'preview-cover' }) : null,
      h('p', { class: 'preview-title' }, props.title || '（无标题）'),
      h('p', { class: 'preview-meta' }, props.author || ''),
      h('div', { class: 'preview-body', innerHTML: props.html }),
    ]);
    const weibo = () => {
      const count = weiboCount(props.weiboText);
      const over = count > WEIBO_LIMIT;
      return h('article', { class: 'preview preview-weibo', 'aria-label': '微博预览' }, [
        h('h3', '微博'),
        h('p', { class: 'preview-weibo-text' }, [props.weiboText || '（未填写微博正文）', h('span', { class: 'muted' }, ' https://t.cn/…')]),
        props.weiboPicture ? h(Thumb, { assetId: props.weiboPicture, alt: '微博配图', thumbnail: true }) : null,
        h('p', { class: ['weibo-count', over ? 'over' : null] }, `${count} / ${WEIBO_LIMIT} 字`),
      ]);
    };
    const miniapp = () => h('article', { class: 'preview preview-miniapp', 'aria-label': '小程序卡片预览' }, [
      h('h3', '小程序卡片'),
      h('div', { class: 'miniapp-card' }, [
        h(Thumb, { assetId: props.coverAssetId, alt: '卡片封面', thumbnail: true }),
        h('div', [h('p', { class: 'preview-title' }, props.title || '（无标题）'),
          h('p', { class: 'muted' }, (props.digest || '').slice(0, 60))]),
      ]),
    ]);
    return () => section('渠道预览', props.channels.length === 0 ? h('p', { class: 'muted' }, '请选择发布渠道后查看预览。')
      : h('div', { class: 'previews' }, [
        props.channels.includes('wechat') ? wechat() : null,
        props.channels.includes('weibo') ? weibo() : null,
        props.channels.includes('miniapp') ? miniapp() : null,
      ]));
  },
});
Previews.Thumb = Thumb;

package io.govmedia.media;

import io.vertx.core.buffer.Buffer;

/** An asset's bytes with what a channel's upload needs to know of them (e.g. WeChat's material upload, Weibo's pic). */
public record MediaContent(String id, String type, String mime, String filename, String title, Buffer bytes) {
}

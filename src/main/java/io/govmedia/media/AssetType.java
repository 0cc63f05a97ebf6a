package io.govmedia.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What kind of media an asset is, with the hard size limit of its kind. The image limit is WeChat's for image
 * material, so that every image the library holds can also go to WeChat; the others leave room for video and
 * audio meant for the mini-program and for PDF attachments, which WeChat's material store does not take.
 */
public enum AssetType {
  IMAGE("图片", 10),
  VIDEO("视频", 200),
  AUDIO("音频", 20),
  PDF("PDF 文件", 50);

  public static final Set<String> NAMES = Arrays.stream(values()).map(AssetType::wire).collect(Collectors.toUnmodifiableSet());

  private final String label;
  private final int limitMegabytes;

  AssetType(String label, int limitMegabytes) {
    this.label = label;
    this.limitMegabytes = limitMegabytes;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return label;
  }

  public long limitBytes() {
    return limitMegabytes * 1024L * 1024L;
  }

  /** Names the limit for people, e.g. "图片不能超过 10MB". */
  public String limitTitle() {
    return label + "不能超过 " + limitMegabytes + "MB";
  }

  public static long largestLimitBytes() {
    return Arrays.stream(values()).mapToLong(AssetType::limitBytes).max().orElseThrow();
  }

  public static Optional<AssetType> parse(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire().equals(wire)).findFirst();
  }
}

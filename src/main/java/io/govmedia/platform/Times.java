package io.govmedia.platform;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;

/** Times are stored in UTC and shown in Asia/Shanghai, ISO-8601 with the offset. */
public final class Times {

  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private Times() {
  }

  public static String show(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(ZONE).toOffsetDateTime());
  }

  public static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  public static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }
}

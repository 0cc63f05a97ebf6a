package io.govmedia.workdays;

import io.govmedia.auth.AuthFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;

/**
 * The working-day calendar: tables from {@code conf/holidays/*.json} and those admins add
 * ({@code PUT /api/v1/holidays/{year}}), and {@code GET /api/v1/workdays/add}.
 */
public final class WorkdaysFeature implements Feature {

  public WorkdaysFeature(Platform platform, AuthFeature auth) {
    // to be built (issue 9, part 1)
  }

  public Workdays workdays() {
    throw new UnsupportedOperationException("to be built");
  }
}

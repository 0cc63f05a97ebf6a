package io.govmedia.workdays;

import io.govmedia.auth.AuthFeature;
import io.govmedia.events.EventsFeature;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

import java.util.List;

/**
 * The working-day calendar: tables from {@code conf/holidays/*.json} and those admins add
 * ({@code PUT /api/v1/holidays/{year}}), and {@code GET /api/v1/workdays/add}. Years reached without a table are
 * raised with the admins until one is added.
 */
public final class WorkdaysFeature implements Feature {

  private final MissingTables missing;
  private final WorkCalendar calendar;
  private final TableReload reload;
  private final WorkdaysRoutes routes;

  public WorkdaysFeature(Platform platform, AuthFeature auth, EventsFeature events) {
    missing = new MissingTables(platform.redis(), events.events(), platform.clock());
    HolidayStore store = new HolidayStore(platform.db());
    // The files are read now, while Main builds the features (not on an event loop): a bad file stops the start.
    calendar = new WorkCalendar(HolidayFiles.load(HolidayFiles.DIRECTORY), missing::reached);
    reload = new TableReload(store, calendar, platform.redis());
    routes = new WorkdaysRoutes(calendar, store, reload, missing, platform.audit(), platform.clock());
  }

  /** The calendar; register {@link Workdays#onTableChanged} listeners before the server serves. */
  public Workdays workdays() {
    return calendar;
  }

  /** The admins' tables are in use before the server is ready. */
  @Override
  public Future<?> start() {
    return reload.start();
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(
      new Periodic("holiday tables reload", TableReload.POLL, reload::poll),
      new Periodic("missing holiday table reminder", MissingTables.REMIND_EVERY, () -> missing.remind(calendar::hasTable)));
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/holidays*").subRouter(routes.holidays(mount.vertx()));
    mount.root().route("/api/v1/workdays*").subRouter(routes.workdays(mount.vertx()));
  }
}

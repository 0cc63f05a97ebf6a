package io.govmedia.auth;

import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Staff, departments (the scopes), sign-in and tokens, and the audit routes. */
public final class AuthFeature implements Feature {

  private final Platform platform;
  private final DepartmentStore departments;
  private final StaffStore staff;
  private final StaffDirectory directory;
  private final Passwords passwords;
  private final Sessions sessions;
  private final AuthRoutes authRoutes;
  private final ConsoleSessionRoutes consoleSessionRoutes;
  private final DepartmentRoutes departmentRoutes;
  private final StaffRoutes staffRoutes;
  private final AuditRoutes auditRoutes;
  private Function<Collection<String>, Future<Set<String>>> existingAccounts =
    ids -> Future.failedFuture(new IllegalStateException("no account store registered"));

  public AuthFeature(Platform platform) {
    this.platform = platform;
    var security = platform.config().security();
    departments = new DepartmentStore(platform.db());
    staff = new StaffStore(platform.db());
    directory = new StaffDirectory(staff, platform.redis());
    passwords = new Passwords(platform.vertx());
    sessions = new Sessions(platform.vertx(), platform.db(), staff, platform.secrets().derive("access-token-signing"),
      platform.clock(), security.accessTokenTtl(), security.refreshTokenTtl());
    var audit = platform.audit();
    var clock = platform.clock();
    authRoutes = new AuthRoutes(staff, sessions, passwords, platform.redis(), security.loginMaxFailures(),
      security.loginWindow(), audit, clock);
    consoleSessionRoutes = new ConsoleSessionRoutes(authRoutes, sessions, security.refreshTokenTtl());
    departmentRoutes = new DepartmentRoutes(departments, audit, clock);
    staffRoutes = new StaffRoutes(staff, departments, ids -> existingAccounts.apply(ids), sessions, passwords, directory,
      audit, clock);
    auditRoutes = new AuditRoutes(audit);
  }

  public DepartmentStore departments() {
    return departments;
  }

  /** A staff member by id, or null: for features that hand work to people (the inbox's assignee). */
  public Future<Staff> staffMember(String id) {
    return staff.find(id);
  }

  /** Who is on duty in each department (for automatic assignment), and who goes away. */
  public StaffDirectory staffDirectory() {
    return directory;
  }

  /** Checks the staff bearer token and puts the signed-in principal on the request. */
  public Handler<RoutingContext> bearer() {
    return new BearerAuth(sessions);
  }

  /**
   * The signed-in principal of a session as it stands now (roles and scopes reloaded), or null once the session was
   * revoked or the member disabled: for connections that outlive a request, like the live event stream.
   */
  public Future<Principal> standing(String staffId, String sessionId) {
    return sessions.standing(staffId, sessionId);
  }

  /**
   * Staff records name the accounts an editor may publish to; the accounts feature (built on this one's
   * departments) says which ids exist.
   */
  public void checkAccountIdsWith(Function<Collection<String>, Future<Set<String>>> existingAccounts) {
    this.existingAccounts = existingAccounts;
  }

  @Override
  public Future<?> start() {
    return Future.all(departments.createIndexes(), staff.createIndexes())
      .compose(indexed -> FirstAdmin.ensure(staff, passwords, platform.audit(), platform.clock(),
        platform.config().security().adminPassword()))
      .compose(admin -> directory.start());
  }

  @Override
  public List<Periodic> periodic() {
    return List.of(new Periodic("session purge", Duration.ofHours(1), () -> sessions.purge(platform.clock().instant())),
      new Periodic("staff directory refresh", Duration.ofSeconds(30), directory::reload));
  }

  @Override
  public void close() throws Exception {
    directory.close();
  }

  @Override
  public void mountPublicApi(Mount mount) {
    // The console's cookie routes (sign-in, refresh; the rest falls through to the bearer-checked routes).
    mount.root().route(ConsoleSessionRoutes.PATH + "/*").subRouter(consoleSessionRoutes.publicRoutes(mount.vertx()));
    mount.root().route("/api/v1/auth/*").subRouter(authRoutes.publicRoutes(mount.vertx()));
  }

  @Override
  public void mountStaffApi(Mount mount) {
    var vertx = mount.vertx();
    var root = mount.root();
    root.route(ConsoleSessionRoutes.PATH + "/*").subRouter(consoleSessionRoutes.staffRoutes(vertx));
    root.route("/api/v1/auth/*").subRouter(authRoutes.routes(vertx));
    root.route("/api/v1/departments*").subRouter(departmentRoutes.routes(vertx));
    root.route("/api/v1/staff*").subRouter(staffRoutes.routes(vertx));
    root.route("/api/v1/audit*").subRouter(auditRoutes.routes(vertx));
  }
}

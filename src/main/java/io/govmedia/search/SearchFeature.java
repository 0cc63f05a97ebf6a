package io.govmedia.search;

import io.govmedia.auth.AuthFeature;
import io.govmedia.auth.DepartmentStore;
import io.govmedia.platform.Feature;
import io.govmedia.platform.Platform;
import io.vertx.core.Future;

/** Full-text search for staff and citizens; a Lucene index per instance under the data directory. */
public final class SearchFeature implements Feature {

  private final SearchIndex index;
  private final DepartmentStore departments;

  public SearchFeature(Platform platform, AuthFeature auth) {
    index = new SearchIndex(platform.vertx(), platform.db(), platform.redis(),
      platform.config().dataDir().resolve("search").resolve(platform.db().getName()));
    departments = auth.departments();
  }

  /** The index that features with searchable content keep current, and that the citizen API searches. */
  public SearchIndex index() {
    return index;
  }

  @Override
  public Future<?> start() {
    return index.createIndexes().compose(indexed -> index.start());
  }

  @Override
  public void mountStaffApi(Mount mount) {
    mount.root().route("/api/v1/search*").subRouter(new SearchRoutes(index, departments).routes(mount.vertx()));
  }

  @Override
  public void close() throws Exception {
    index.close();
  }
}

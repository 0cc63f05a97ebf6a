package io.govmedia.inbox;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * An instance on a database and a Redis database of its own (same embedded servers), for tests whose clock goes back
 * to 2026's Spring Festival or that count what is in the stores: the shared server's deadline sweep, on the real
 * clock, never sees their cases, and they see no one else's.
 */
final class OwnStores {

  private OwnStores() {
  }

  static Main.Running start(int redisDatabase, Clock clock, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("GOVMEDIA_MONGO_DATABASE", "govmedia_own_" + Client.unique());
    env.put("GOVMEDIA_REDIS_URI", TestServer.get().redisUri() + "/" + redisDatabase);
    return TestServer.get().startAnother(env, clock);
  }
}

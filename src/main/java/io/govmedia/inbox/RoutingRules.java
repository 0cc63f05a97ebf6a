package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.govmedia.platform.SharedSnapshot;
import io.vertx.core.Future;


/**
 * {@link Routing} from an in-memory copy of the rules, compiled ({@link RoutingTable}) in the order they are tried: a
 * case is routed without a store read. A change through any instance is announced on Redis pub/sub and reloaded everywhere (see
 * {@link SharedSnapshot}); a periodic reload covers an announcement lost while Redis was away.
 */
final class RoutingRules implements Routing, AutoCloseable {

  private final SharedSnapshot<RoutingTable> rules;

  RoutingRules(RoutingRuleStore store, Redis redis) {
    rules = new SharedSnapshot<>(redis, "routing-rules", RoutingTable.EMPTY, () -> store.all().map(RoutingTable::new));
  }

  @Override
  public Future<String> departmentFor(Facts facts) {
    RoutingRule rule = match(facts);
    return Future.succeededFuture(rule == null ? null : rule.departmentId());
  }

  /** The first rule, in priority order, whose every condition matches; null when none does. */
  RoutingRule match(Facts facts) {
    return rules.get().match(facts);
  }

  int size() {
    return rules.get().size();
  }

  Future<Void> start() {
    return rules.start();
  }

  Future<Void> reload() {
    return rules.reload();
  }

  /** After a change through this instance: routing here follows it when done; other instances within moments. */
  Future<Void> changed() {
    return rules.changed();
  }

  @Override
  public void close() throws Exception {
    rules.close();
  }
}

package io.govmedia.inbox;

import io.govmedia.platform.Redis;
import io.govmedia.platform.SharedSnapshot;
import io.vertx.core.Future;

import java.util.List;
import java.util.Locale;

/**
 * {@link Routing} from an in-memory copy of the rules, compiled and in the order they are tried: a case is routed
 * without a store read. A change through any instance is announced on Redis pub/sub and reloaded everywhere (see
 * {@link SharedSnapshot}); a periodic reload covers an announcement lost while Redis was away.
 */
final class RoutingRules implements Routing, AutoCloseable {

  private final SharedSnapshot<List<RoutingRule.Compiled>> rules;

  RoutingRules(RoutingRuleStore store, Redis redis) {
    rules = new SharedSnapshot<>(redis, "routing-rules", List.of(),
      () -> store.all().map(all -> all.stream().map(RoutingRule::compile).toList()));
  }

  @Override
  public Future<String> departmentFor(Facts facts) {
    RoutingRule rule = match(facts);
    return Future.succeededFuture(rule == null ? null : rule.departmentId());
  }

  /** The first rule, in priority order, whose every condition matches; null when none does. */
  RoutingRule match(Facts facts) {
    String lowerText = facts.text() == null ? "" : facts.text().toLowerCase(Locale.ROOT);
    for (RoutingRule.Compiled rule : rules.get()) {
      if (rule.matches(facts, lowerText)) {
        return rule.rule();
      }
    }
    return null;
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

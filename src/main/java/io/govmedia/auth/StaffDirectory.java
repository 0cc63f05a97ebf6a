package io.govmedia.auth;

import io.govmedia.platform.Redis;
import io.govmedia.platform.SharedSnapshot;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who may be given cases, per department, kept in memory for automatic assignment (hundreds of picks a second read
 * no store): the repliers of each department who are on duty and not disabled. Refreshed when staff change through
 * any instance (see {@link SharedSnapshot}), and periodically. Also tells listeners, on the instance that recorded it,
 * when someone goes away, so that their open cases can be given to others.
 */
public final class StaffDirectory implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StaffDirectory.class);

  private final SharedSnapshot<Map<String, List<String>>> onDuty;
  private final List<Consumer<String>> awayListeners = new CopyOnWriteArrayList<>();

  StaffDirectory(StaffStore store, Redis redis) {
    onDuty = new SharedSnapshot<>(redis, "staff", Map.of(), () -> store.all().map(StaffDirectory::index));
  }

  /** The staff ids automatic assignment may choose in a department, in id order (the round-robin order). */
  public List<String> onDuty(String departmentId) {
    return onDuty.get().getOrDefault(departmentId, List.of());
  }

  /** Whether automatic assignment may choose the person in any department (on duty, an active replier). */
  public boolean onDutyAnywhere(String staffId) {
    return onDuty.get().entrySet().stream().anyMatch(e -> !e.getKey().startsWith(HEADS) && e.getValue().contains(staffId));
  }

  /** The staff ids heading a department (not disabled), from the same snapshot: who is told of a breach. */
  public java.util.Set<String> heads(String departmentId) {
    return java.util.Set.copyOf(onDuty.get().getOrDefault(HEADS + departmentId, List.of()));
  }

  /**
   * Calls {@code listener} with the staff id of every replier who stops taking cases through this instance: goes away
   * (on duty → away), is disabled, or loses the replier role. Called after the change is stored and this instance's
   * {@link #onDuty} no longer names them, so their open cases can go to others. Answers a remover.
   */
  public Runnable onAway(Consumer<String> listener) {
    awayListeners.add(listener);
    return () -> awayListeners.remove(listener);
  }

  Future<Void> start() {
    return onDuty.start();
  }

  Future<Void> reload() {
    return onDuty.reload();
  }

  /** After a change of staff through this instance: this copy shows it when done; other instances follow. */
  Future<Void> changed() {
    return onDuty.changed();
  }

  void wentAway(String staffId) {
    for (Consumer<String> listener : awayListeners) {
      try {
        listener.accept(staffId);
      } catch (RuntimeException e) {
        log.warn("a listener failed on staff member {} going away", staffId, e);
      }
    }
  }

  /** Heads are kept in the same map under this prefix (department ids are hex: no clash). */
  private static final String HEADS = "head:";

  private static Map<String, List<String>> index(List<Staff> all) {
    Map<String, List<String>> byDepartment = new HashMap<>();
    all.stream().sorted(Comparator.comparing(Staff::id)).forEach(member -> member.departmentIds().stream()
      .filter(member::assignableIn)
      .forEach(department -> byDepartment.computeIfAbsent(department, d -> new java.util.ArrayList<>()).add(member.id())));
    all.stream().filter(member -> !member.disabled()).forEach(member -> member.headOf()
      .forEach(department -> byDepartment.computeIfAbsent(HEADS + department, d -> new java.util.ArrayList<>()).add(member.id())));
    byDepartment.replaceAll((department, ids) -> List.copyOf(ids));
    return Map.copyOf(byDepartment);
  }

  @Override
  public void close() throws Exception {
    onDuty.close();
  }
}

package io.govmedia.auth;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** All departments at one moment, for questions about ancestry: scopes cover a department's whole subtree. */
public final class DepartmentTree {

  private final Map<String, Department> byId = new HashMap<>();
  private final Map<String, List<String>> children = new HashMap<>();

  DepartmentTree(Collection<Department> departments) {
    for (Department d : departments) {
      byId.put(d.id(), d);
      children.computeIfAbsent(d.parentId(), k -> new java.util.ArrayList<>()).add(d.id());
    }
  }

  public boolean contains(String id) {
    return byId.containsKey(id);
  }

  /** The given departments and every department below them. */
  public Set<String> withDescendants(Collection<String> roots) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (byId.containsKey(id) && seen.add(id)) {
        todo.addAll(children.getOrDefault(id, List.of()));
      }
    }
    return seen;
  }

  /** True when {@code candidate} is {@code id} itself or lies below it. */
  boolean isWithin(String candidate, String id) {
    String cursor = candidate;
    Set<String> visited = new HashSet<>();
    while (cursor != null && visited.add(cursor)) {
      if (cursor.equals(id)) {
        return true;
      }
      Department d = byId.get(cursor);
      cursor = d == null ? null : d.parentId();
    }
    return false;
  }
}

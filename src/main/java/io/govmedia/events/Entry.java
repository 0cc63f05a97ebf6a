package io.govmedia.events;

import io.govmedia.auth.Role;
import io.lettuce.core.StreamMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An event as it is kept in the Redis stream and travels between instances: its stream id (which orders all
 * events of all instances), its type, its data already encoded as one line of JSON, and its audience.
 */
record Entry(String id, String type, String data, Event.Audience audience) {

  /** Stream ids as Redis makes them, {@code <milliseconds>-<sequence>}; 18 digits at most each, so they fit a long. */
  private static final Pattern ID = Pattern.compile("\\d{1,18}-\\d{1,18}");

  static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Orders two valid stream ids as Redis does. */
  static int compare(String a, String b) {
    int dash = a.indexOf('-');
    int otherDash = b.indexOf('-');
    int byTime = Long.compare(Long.parseLong(a, 0, dash, 10), Long.parseLong(b, 0, otherDash, 10));
    return byTime != 0 ? byTime
      : Long.compare(Long.parseLong(a, dash + 1, a.length(), 10), Long.parseLong(b, otherDash + 1, b.length(), 10));
  }

  static Entry of(StreamMessage<String, String> message) {
    Map<String, String> body = message.getBody();
    return new Entry(message.getId(), body.get("type"), body.get("data"), audience(body.get("audience")));
  }

  /** The message {@code EventLog}'s script publishes: id, type, audience and data, one per line. */
  static Entry ofMessage(String message) {
    String[] parts = message.split("\n", 4);
    return new Entry(parts[0], parts[1], parts[3], audience(parts[2]));
  }

  /** One server-sent event; the data is JSON encoded on one line, so it needs one {@code data:} field. */
  Buffer frame() {
    return Buffer.buffer("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n");
  }

  static String encode(Event.Audience audience) {
    return new JsonObject()
      .put("roles", new JsonArray(audience.roles().stream().map(Role::wire).sorted().toList()))
      .put("departmentIds", sorted(audience.departmentIds()))
      .put("accountIds", sorted(audience.accountIds()))
      .put("staffIds", sorted(audience.staffIds()))
      .encode();
  }

  private static JsonArray sorted(Collection<String> ids) {
    return new JsonArray(ids.stream().sorted().toList());
  }

  /** A role this version does not know (written by a newer instance) is left out: it widens nothing. */
  static Event.Audience audience(String json) {
    JsonObject audience = new JsonObject(json);
    Set<Role> roles = strings(audience, "roles").stream().map(Role::parse).flatMap(Optional::stream)
      .collect(Collectors.toUnmodifiableSet());
    return new Event.Audience(roles, strings(audience, "departmentIds"), strings(audience, "accountIds"),
      strings(audience, "staffIds"));
  }

  private static Set<String> strings(JsonObject json, String name) {
    return json.getJsonArray(name, new JsonArray()).stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
  }
}

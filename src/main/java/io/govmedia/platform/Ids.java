package io.govmedia.platform;

import io.vertx.core.Future;
import org.bson.types.ObjectId;

import java.util.function.Function;
import java.util.regex.Pattern;

/** Resource ids: 24 hex characters, roughly ordered by creation time, stored as strings. */
public final class Ids {

  public static final Pattern FORMAT = Pattern.compile("[0-9a-f]{24}");

  private Ids() {
  }

  public static String newId() {
    return new ObjectId().toHexString();
  }

  public static boolean valid(String id) {
    return id != null && FORMAT.matcher(id).matches();
  }

  /** The record a path id names, or a 404 problem ("未找到" + what) for a malformed or unknown id. */
  public static <T> Future<T> lookup(String id, Function<String, Future<T>> find, String what) {
    if (!valid(id)) {
      return Future.failedFuture(Problem.notFound(what));
    }
    return find.apply(id).compose(found -> found == null
      ? Future.failedFuture(Problem.notFound(what))
      : Future.succeededFuture(found));
  }
}

package io.govmedia.platform;

import org.bson.types.ObjectId;

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
}

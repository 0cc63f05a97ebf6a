package io.govmedia.workdays;

import io.govmedia.platform.Config;
import io.govmedia.platform.Problem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tables shipped with the server, {@code conf/holidays/<year>.json} (found like {@code conf/govmedia.json}:
 * relative to the working directory), each {@code {"year": 2026, "off": [...], "workdays": [...]}}. Read once at
 * start, blocking; a file that is not a valid table stops the server with a message naming it.
 */
final class HolidayFiles {

  static final Path DIRECTORY = Path.of("conf", "holidays");

  private HolidayFiles() {
  }

  static Map<Integer, HolidayTable> load(Path directory) {
    Map<Integer, HolidayTable> tables = new HashMap<>();
    if (!Files.isDirectory(directory)) {
      return tables;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(directory)) {
      files = listed.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new Config.ConfigException("holiday tables in " + directory + " cannot be listed: " + e.getMessage());
    }
    for (Path file : files) {
      HolidayTable table = read(file);
      tables.put(table.year(), table);
    }
    return tables;
  }

  private static HolidayTable read(Path file) {
    String name = file.getFileName().toString();
    Integer year = HolidayTable.year(name.substring(0, name.length() - ".json".length()));
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      if (year == null || !year.equals(json.getValue("year"))) {
        throw new Config.ConfigException("holiday table " + file + " must be named <year>.json (2000-2100) and hold that"
          + " \"year\"");
      }
      return HolidayTable.parse(year, json.getValue("off"), json.getValue("workdays"), HolidayTable.Source.FILE,
        null, null);
    } catch (IOException | DecodeException e) {
      throw new Config.ConfigException("holiday table " + file + " cannot be read as JSON: " + e.getMessage());
    } catch (Problem problem) {
      throw new Config.ConfigException("holiday table " + file + " is not valid: " + problem.code() + " "
        + problem.getMessage() + " " + problem.extensions().encode());
    }
  }
}

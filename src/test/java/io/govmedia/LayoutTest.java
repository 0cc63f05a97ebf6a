package io.govmedia;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The package-per-feature layout of ARCHITECTURE.md, read from the sources: who may use whom. */
class LayoutTest {

  private static final Path MAIN = Path.of("src/main/java/io/govmedia");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.govmedia\\.([a-z]+)\\.", Pattern.MULTILINE);

  /** The features each feature may use; platform is open to all. Anything else is a new edge to decide on. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
    Map.entry("auth", Set.of()),
    Map.entry("accounts", Set.of("auth")),
    Map.entry("wechat", Set.of("auth", "accounts")),
    Map.entry("checks", Set.of("auth", "media")),
    Map.entry("search", Set.of("auth")),
    Map.entry("media", Set.of("auth")),
    Map.entry("content", Set.of("auth", "checks", "search", "media", "workdays")),
    Map.entry("events", Set.of("auth")),
    Map.entry("weibo", Set.of("auth", "accounts", "events")),
    Map.entry("publishing", Set.of("auth", "accounts", "wechat", "weibo", "content", "checks", "media", "events")),
    Map.entry("workdays", Set.of("auth", "events")),
    Map.entry("inbox", Set.of("auth", "accounts", "wechat", "weibo", "content", "checks", "search", "media", "events",
      "workdays")),
    Map.entry("citizen", Set.of("auth", "accounts", "wechat", "content", "checks", "search", "media", "events",
      "workdays", "publishing", "inbox")),
    // The console is a page and its files: it talks to the other features only through the HTTP API, like any client.
    Map.entry("console", Set.of()));

  @Test
  @DisplayName("Each feature package uses only the features below it, so checks, search and media stay usable by publishing and the inbox")
  void featuresDependDownwardsOnly() {
    Map<String, Set<String>> uses = uses();
    assertEquals(new TreeSet<>(ALLOWED.keySet()), new TreeSet<>(uses.keySet()), "feature packages");
    uses.forEach((feature, used) -> {
      Set<String> unexpected = new TreeSet<>(used);
      unexpected.removeAll(ALLOWED.get(feature));
      assertTrue(unexpected.isEmpty(), feature + " uses " + unexpected);
    });
  }

  @Test
  @DisplayName("Main is the one place that lists the features: each package has exactly one Feature class")
  void oneFeatureObjectPerPackage() throws IOException {
    String main = Files.readString(MAIN.resolve("Main.java"));
    for (String feature : ALLOWED.keySet()) {
      List<Path> features = new ArrayList<>();
      try (Stream<Path> files = Files.list(MAIN.resolve(feature))) {
        files.filter(file -> read(file).matches("(?s).*public final class \\w+ implements Feature\\b.*")).forEach(features::add);
      }
      assertEquals(1, features.size(), feature + " feature classes " + features);
      String name = features.get(0).getFileName().toString().replace(".java", "");
      assertTrue(main.contains("new " + name + "("), "Main builds " + name);
    }
  }

  private static Map<String, Set<String>> uses() {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(MAIN)) {
      for (Path dir : dirs.filter(Files::isDirectory).filter(d -> !d.endsWith("platform")).toList()) {
        Set<String> used = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
          files.forEach(file -> {
            Matcher m = IMPORT.matcher(read(file));
            while (m.find()) {
              used.add(m.group(1));
            }
          });
        }
        used.remove("platform");
        used.remove(dir.getFileName().toString());
        uses.put(dir.getFileName().toString(), used);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return uses;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.govmedia.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The console's files, read once at start into memory (a few hundred kilobytes):
 * <ul>
 *   <li>{@code /console/} the page, {@code no-cache}; it names every script and style sheet by a version that is the
 *   digest of all the console's files, so a new build is picked up at the next load and never mixed with old files;</li>
 *   <li>{@code /console/v/{version}/…} the console's own scripts and styles, cached for a year ({@code immutable});
 *   another version is a 404;</li>
 *   <li>{@code /console/webjars/…} the two libraries (Vue's runtime build, which compiles no templates, and Chart.js),
 *   from their WebJars' own paths, which carry the library version: cached for a year.</li>
 * </ul>
 * Every answer carries the strict Content-Security-Policy: scripts and styles only from this origin, no inline
 * script, no {@code eval}, no framing.
 */
final class ConsoleFiles {

  static final String CSP = String.join("; ",
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'");
  private static final String ROOT = "console/";
  private static final String WEBJARS = "META-INF/resources/webjars/";
  /** The library files the page may load, by their WebJar paths. */
  private static final java.util.List<String> LIBRARIES = java.util.List.of(
    "vue/3.5.26/dist/vue.runtime.global.prod.js",
    "chart.js/4.5.1/dist/chart.umd.js");
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final Map<String, String> TYPES = Map.of(
    "js", "text/javascript; charset=utf-8",
    "css", "text/css; charset=utf-8",
    "html", "text/html; charset=utf-8",
    "svg", "image/svg+xml",
    "png", "image/png",
    "mp3", "audio/mpeg",
    "wav", "audio/wav",
    "json", "application/json; charset=utf-8");

  private final String version;
  private final Buffer page;
  private final Map<String, Buffer> files;
  private final Map<String, Buffer> libraries;

  private ConsoleFiles(String version, Buffer page, Map<String, Buffer> files, Map<String, Buffer> libraries) {
    this.version = version;
    this.page = page;
    this.files = files;
    this.libraries = libraries;
  }

  /** Blocking: reads the files from the class path. */
  static ConsoleFiles load() {
    Map<String, byte[]> read = readTree(ROOT);
    byte[] template = read.remove("index.html");
    if (template == null) {
      throw new IllegalStateException("console/index.html missing from the class path");
    }
    MessageDigest digest = sha256();
    read.forEach((name, bytes) -> {
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      digest.update(bytes);
    });
    digest.update(template);
    String version = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    Buffer page = Buffer.buffer(new String(template, StandardCharsets.UTF_8).replace("{{version}}", version));
    Map<String, Buffer> files = new TreeMap<>();
    read.forEach((name, bytes) -> files.put(name, Buffer.buffer(bytes)));
    Map<String, Buffer> libraries = new TreeMap<>();
    for (String library : LIBRARIES) {
      libraries.put(library, Buffer.buffer(readResource(WEBJARS + library)));
    }
    return new ConsoleFiles(version, page, Collections.unmodifiableMap(files), Collections.unmodifiableMap(libraries));
  }

  void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.response().putHeader("Allow", "GET, HEAD");
      ctx.fail(405);
      return;
    }
    String path = ctx.request().path().substring("/console/".length());
    if (path.isEmpty() || path.equals("index.html")) {
      send(ctx, page, "text/html; charset=utf-8", "no-cache");
      return;
    }
    String versioned = "v/" + version + "/";
    if (path.startsWith(versioned) && files.containsKey(path.substring(versioned.length()))) {
      String name = path.substring(versioned.length());
      send(ctx, files.get(name), type(name), IMMUTABLE);
      return;
    }
    if (path.startsWith("webjars/") && libraries.containsKey(path.substring("webjars/".length()))) {
      send(ctx, libraries.get(path.substring("webjars/".length())), type(path), IMMUTABLE);
      return;
    }
    ctx.fail(404);
  }

  private static void send(RoutingContext ctx, Buffer body, String type, String cacheControl) {
    var response = ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, type)
      .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
      .putHeader("Content-Security-Policy", CSP)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer")
      .putHeader("X-Frame-Options", "DENY");
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
    } else {
      response.end(body);
    }
  }

  private static String type(String name) {
    int dot = name.lastIndexOf('.');
    return TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1), "application/octet-stream");
  }

  /** Every file under a class-path folder, by its path below it: from the build's folder or from the jar. */
  private static Map<String, byte[]> readTree(String folder) {
    URL url = ConsoleFiles.class.getClassLoader().getResource(folder);
    if (url == null) {
      throw new IllegalStateException(folder + " missing from the class path");
    }
    Map<String, byte[]> found = new TreeMap<>();
    try {
      if ("jar".equals(url.getProtocol())) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          for (JarEntry entry : Collections.list(jar.entries())) {
            if (!entry.isDirectory() && entry.getName().startsWith(folder)) {
              try (InputStream in = jar.getInputStream(entry)) {
                found.put(entry.getName().substring(folder.length()), in.readAllBytes());
              }
            }
          }
        }
      } else {
        Path base = Path.of(url.toURI());
        try (Stream<Path> walk = Files.walk(base)) {
          for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
            found.put(base.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  private static byte[] readResource(String name) {
    try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the class path (its WebJar dependency?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.govmedia.bench;

import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scripts/bench-content media: the packaged server in its own JVM with its heap capped at 256 MB ({@code -Xmx256m}),
 * on its embedded stores (MongoDB on an H2 file inside that same heap), driven on loopback. It uploads a generated
 * MP4 of 50 MB (ftyp, mdat, moov: a whole file's boxes) as a streamed multipart body (the client never holds it
 * either), downloads it whole, then asks for random 1 MB ranges, checking every byte against the generator and
 * the SHA-256; then several such uploads at once. The server's heap is sampled from /metrics throughout, and the
 * server must still be alive, without an OutOfMemoryError in its log, at the end.
 *
 * Usage: ContentMediaBench [megabytes=50] [ranges=200] [rangeConcurrency=4] [parallelUploads=4]
 */
public final class ContentMediaBench {

  private static final String SERVER_HEAP = "-Xmx256m";
  private static final Pattern HEAP_USED = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+]+)$");
  private static final Pattern LIVE_AFTER_GC = Pattern.compile("(?m)^jvm_gc_live_data_size_bytes(?:\\{[^}]*})? ([0-9.eE+]+)$");

  public static void main(String[] args) throws Exception {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int ranges = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rangeConcurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int parallelUploads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    Path dataDir = Files.createTempDirectory("govmedia-media-bench");
    int port = TestServer.freePort();
    Process server = BenchServer.start(dataDir, port, SERVER_HEAP, "-XX:+ExitOnOutOfMemoryError");
    HeapSampler heap = new HeapSampler();
    try {
      Client client = new Client(port);
      BenchServer.awaitReady(client);
      String admin = client.login("admin", BenchServer.ADMIN_PASSWORD);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Video video = new Video(megabytes * 1024L * 1024L, 42);
      heap.start(BenchServer.metricsPort(dataDir));

      // Warm-up (JIT, connections, the store's first pages): a small upload and download, not timed.
      Video small = new Video(4L * 1024 * 1024, 7);
      download(http, port, signedUrl(client, admin, upload(http, port, admin, small)), small);

      double storeRate = chunkInsertRate(BenchServer.embeddedMongoUri(dataDir), megabytes);

      heap.reset();
      long started = System.nanoTime();
      JsonObject asset = upload(http, port, admin, video);
      double uploadSeconds = seconds(started);
      long uploadPeak = heap.peak();
      if (!video.sha256().equals(asset.getString("sha256")) || asset.getLong("size") != video.length()
        || !"video".equals(asset.getString("type"))) {
        throw new IllegalStateException("the server stored something else: " + asset.encode());
      }

      heap.reset();
      started = System.nanoTime();
      String url = signedUrl(client, admin, asset);
      download(http, port, url, video);
      double downloadSeconds = seconds(started);
      long downloadPeak = heap.peak();

      RangeResult sequential = ranges(http, port, url, video, ranges, 1);
      heap.reset();
      RangeResult result = ranges(http, port, url, video, ranges, rangeConcurrency);
      long rangePeak = heap.peak();

      heap.reset();
      started = System.nanoTime();
      List<Future<JsonObject>> uploads = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(parallelUploads);
      for (int i = 0; i < parallelUploads; i++) {
        Video copy = new Video(video.length(), 100 + i);
        uploads.add(pool.submit(() -> {
          JsonObject stored = upload(http, port, admin, copy);
          if (!copy.sha256().equals(stored.getString("sha256"))) {
            throw new IllegalStateException("parallel upload stored other bytes");
          }
          return stored;
        }));
      }
      for (Future<JsonObject> upload : uploads) {
        upload.get(10, TimeUnit.MINUTES);
      }
      pool.shutdown();
      double parallelSeconds = seconds(started);
      long parallelPeak = heap.peak();

      boolean alive = server.isAlive() && client.get("/health", null).status() == 200;
      boolean oom = Files.readString(dataDir.resolve("server.log")).contains("OutOfMemoryError");
      double mb = video.length() / 1048576.0;
      System.out.printf("%ngovmedia media benchmark — %s, %d cores, server %s (embedded MongoDB in the same heap)%n",
        java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), SERVER_HEAP);
      System.out.printf("embedded MongoDB alone, 255 KiB chunk inserts (2 in flight): %.1f MB/s%n", storeRate);
      System.out.printf("upload %.0f MB MP4 (streamed multipart):   %6.1f MB/s  (%.2f s)   server heap peak %s%n",
        mb, mb / uploadSeconds, uploadSeconds, megabytes(uploadPeak));
      System.out.printf("download whole file:                   %6.1f MB/s  (%.2f s)   server heap peak %s%n",
        mb / downloadSeconds, downloadSeconds, megabytes(downloadPeak));
      System.out.printf("%d random 1 MB ranges, one at a time:    %6.1f MB/s  p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
        ranges, sequential.megabytesPerSecond(), sequential.percentile(0.50), sequential.percentile(0.99),
        sequential.percentile(1.0));
      System.out.printf("%d random 1 MB ranges, %d at a time:    %6.1f MB/s  p50 %.1f ms  p99 %.1f ms  max %.1f ms   heap peak %s%n",
        ranges, rangeConcurrency, result.megabytesPerSecond(), result.percentile(0.50), result.percentile(0.99),
        result.percentile(1.0), megabytes(rangePeak));
      System.out.printf("%d uploads of %.0f MB at once:            %6.1f MB/s in all  (%.2f s)   server heap peak %s%n",
        parallelUploads, mb, parallelUploads * mb / parallelSeconds, parallelSeconds, megabytes(parallelPeak));
      System.out.printf("heap peaks above include garbage not yet collected; old generation after a collection at most %s"
        + " of %s (an upper bound on live data: it keeps garbage until a mixed collection)%n",
        megabytes(heap.livePeak()), SERVER_HEAP.substring(4).toUpperCase());
      System.out.printf("bytes verified: upload and download SHA-256 %s, every range byte for byte%n", video.sha256().substring(0, 16) + "…");
      System.out.printf("server alive: %s; OutOfMemoryError in its log: %s%n", alive, oom);
      if (!alive || oom) {
        System.out.println("FAILED: the server did not survive");
        System.exit(1);
      }
    } finally {
      heap.stop();
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A whole MP4's boxes (ftyp, mdat, moov) of the given length, made on demand: any byte range can be produced
   * again to check what the server sends, and the file is never held in memory.
   */
  static final class Video {
    private static final int BLOCK = 64 * 1024;
    private final long length;
    private final long seed;
    private final byte[] head;
    private final byte[] tail;
    private String sha256;

    Video(long length, long seed) {
      this.length = length;
      this.seed = seed;
      byte[] ftyp = box("ftyp", "isom\0\0\2\0isomiso2avc1mp41".getBytes(StandardCharsets.US_ASCII));
      this.tail = box("moov", box("mvhd", new byte[100]));
      long mdatLength = length - ftyp.length - tail.length;
      this.head = ByteBuffer.allocate(ftyp.length + 8).put(ftyp).putInt((int) mdatLength)
        .put("mdat".getBytes(StandardCharsets.US_ASCII)).array();
    }

    long length() {
      return length;
    }

    /** Fills {@code into} with the file's bytes from {@code offset}. */
    void read(long offset, byte[] into, int at, int count) {
      long mediaStart = head.length;
      long mediaEnd = length - tail.length;
      byte[] block = null;
      long blockNumber = -1;
      for (int i = 0; i < count; i++) {
        long p = offset + i;
        if (p < mediaStart) {
          into[at + i] = head[(int) p];
        } else if (p >= mediaEnd) {
          into[at + i] = tail[(int) (p - mediaEnd)];
        } else {
          long n = (p - mediaStart) / BLOCK;
          if (n != blockNumber) {
            block = new byte[BLOCK];
            new SplittableRandom(seed * 1_000_003 + n).nextBytes(block);
            blockNumber = n;
          }
          into[at + i] = block[(int) ((p - mediaStart) % BLOCK)];
        }
      }
    }

    InputStream stream() {
      return new InputStream() {
        private long position;

        @Override
        public int read() {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int at, int count) {
          if (position >= length) {
            return -1;
          }
          int n = (int) Math.min(count, length - position);
          Video.this.read(position, into, at, n);
          position += n;
          return n;
        }
      };
    }

    synchronized String sha256() throws Exception {
      if (sha256 == null) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[BLOCK];
        try (InputStream in = stream()) {
          for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
            digest.update(buffer, 0, n);
          }
        }
        sha256 = HexFormat.of().formatHex(digest.digest());
      }
      return sha256;
    }

    private static byte[] box(String type, byte[] content) {
      return ByteBuffer.allocate(8 + content.length).putInt(8 + content.length).put(type.getBytes(StandardCharsets.US_ASCII))
        .put(content).array();
    }
  }

  private static JsonObject upload(HttpClient http, int port, String token, Video video) throws Exception {
    String boundary = "----bench" + Client.unique();
    byte[] before = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n基准测试视频\r\n--" + boundary
      + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
      .getBytes(StandardCharsets.UTF_8);
    byte[] after = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/assets"))
      .header("Authorization", "Bearer " + token)
      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
      .timeout(Duration.ofMinutes(10))
      .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
        Collections.enumeration(List.of(new ByteArrayInputStream(before), video.stream(), new ByteArrayInputStream(after))))),
        before.length + video.length() + after.length))
      .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("upload failed: " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body());
  }

  /** A draft's file loads with a token or a signed URL; the signed one is what a fetcher such as WeChat uses. */
  private static String signedUrl(Client client, String token, JsonObject asset) {
    Client.Response signed = client.post("/api/v1/assets/" + asset.getString("id") + "/signed-url", token,
      new JsonObject().put("ttlSeconds", 3600));
    if (signed.status() != 200) {
      throw new IllegalStateException("no signed URL: " + signed);
    }
    return signed.json().getString("url");
  }

  private static void download(HttpClient http, int port, String url, Video video) throws Exception {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url))
      .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        total += n;
      }
    }
    if (response.statusCode() != 200 || total != video.length() || !HexFormat.of().formatHex(digest.digest()).equals(video.sha256())) {
      throw new IllegalStateException("download differs: " + response.statusCode() + ", " + total + " bytes");
    }
  }

  private record RangeResult(long[] latencies, long bytes, long elapsedNanos) {
    double megabytesPerSecond() {
      return bytes / 1048576.0 / (elapsedNanos / 1e9);
    }

    double percentile(double p) {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
  }

  private static RangeResult ranges(HttpClient http, int port, String url, Video video, int count, int concurrency)
    throws Exception {
    int size = 1024 * 1024;
    long[] latencies = new long[count];
    AtomicLong bytes = new AtomicLong();
    SplittableRandom random = new SplittableRandom(99);
    long[] starts = new long[count];
    for (int i = 0; i < count; i++) {
      starts[i] = random.nextLong(video.length() - size);
    }
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> done = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      int index = i;
      done.add(pool.submit(() -> {
        long start = starts[index];
        long sent = System.nanoTime();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url))
          .header("Range", "bytes=" + start + "-" + (start + size - 1)).timeout(Duration.ofMinutes(1)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
        latencies[index] = System.nanoTime() - sent;
        byte[] expected = new byte[size];
        video.read(start, expected, 0, size);
        if (response.statusCode() != 206 || !Arrays.equals(expected, response.body())) {
          throw new IllegalStateException("range " + start + " differs: " + response.statusCode());
        }
        bytes.addAndGet(response.body().length);
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
    long elapsed = System.nanoTime() - started;
    pool.shutdown();
    return new RangeResult(latencies, bytes.get(), elapsed);
  }

  /**
   * The embedded store's own rate for what an upload asks of it: 255 KiB chunk documents inserted two at a time,
   * straight from this process (the server's upload adds HTTP, multipart decoding and hashing on top).
   */
  private static double chunkInsertRate(String mongoUri, int megabytes) {
    try (com.mongodb.reactivestreams.client.MongoClient mongo = com.mongodb.reactivestreams.client.MongoClients.create(mongoUri)) {
      com.mongodb.reactivestreams.client.MongoCollection<org.bson.Document> chunks =
        mongo.getDatabase("bench_baseline").getCollection("chunks");
      byte[] data = new byte[255 * 1024];
      new SplittableRandom(1).nextBytes(data);
      int count = (int) (megabytes * 1024L * 1024 / data.length);
      long started = System.nanoTime();
      for (int n = 0; n < count; n += 2) {
        List<io.vertx.core.Future<?>> pair = new ArrayList<>();
        for (int i = n; i < Math.min(count, n + 2); i++) {
          pair.add(io.govmedia.platform.Mongo.first(chunks.insertOne(new org.bson.Document("files_id", "baseline").append("n", i)
            .append("data", new org.bson.types.Binary(data)))));
        }
        io.vertx.core.Future.all(pair).await(60, TimeUnit.SECONDS);
      }
      double rate = count * (double) data.length / 1048576.0 / seconds(started);
      io.govmedia.platform.Mongo.first(mongo.getDatabase("bench_baseline").drop()).await(60, TimeUnit.SECONDS);
      return rate;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }


  /** Polls the server's /metrics for the heap in use and keeps the highest value seen. */
  private static final class HeapSampler {
    private volatile int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong livePeak = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    /** Samples the management listener's /metrics on {@code port}. */
    void start(int port) {
      this.port = port;
      running = true;
      thread = new Thread(() -> {
        while (running) {
          try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
            long used = 0;
            Matcher m = HEAP_USED.matcher(metrics);
            while (m.find()) {
              used += (long) Double.parseDouble(m.group(1));
            }
            peak.accumulateAndGet(used, Math::max);
            Matcher live = LIVE_AFTER_GC.matcher(metrics);
            if (live.find()) {
              livePeak.accumulateAndGet((long) Double.parseDouble(live.group(1)), Math::max);
            }
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          } catch (IOException e) {
            // the server is busy or gone; the next sample tells
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      peak.set(0);
    }

    long peak() {
      return peak.get();
    }

    /** The old generation's occupancy right after a collection, at its highest over the whole run. */
    long livePeak() {
      return livePeak.get();
    }

    void stop() {
      running = false;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }

  private static String megabytes(long bytes) {
    return String.format("%.0f MB", bytes / 1048576.0);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}

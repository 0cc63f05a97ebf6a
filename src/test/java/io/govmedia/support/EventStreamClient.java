package io.govmedia.support;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's EventSource: opens {@code GET /api/v1/events}, parses the server-sent events on a thread of its own and
 * hands them over in order. Comments (the heartbeats) are skipped; the end of the stream is an event of type
 * {@code (end)}. Events reach a stream in the order they were sent, so a test proves that something did NOT
 * arrive by sending an event the viewer does see afterwards and checking that it comes first.
 */
public final class EventStreamClient implements AutoCloseable {

  public record Received(String id, String type, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }

    public boolean is(String eventType) {
      return type.equals(eventType);
    }
  }

  public static final String END = "(end)";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile String retry;

  private EventStreamClient(HttpResponse<InputStream> response) {
    this.response = response;
    if (response.statusCode() == 200) {
      Thread reader = new Thread(this::read, "sse-client");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Takes a ticket as {@code token} on {@code client}'s instance and opens a stream there (as a console does). */
  public static EventStreamClient open(Client client, String token) {
    EventStreamClient stream = open(client.port(), "?ticket=" + ticket(client, token), Map.of());
    if (stream.status() != 200) {
      throw new AssertionError("the stream was refused: " + stream.status() + " " + stream.problem());
    }
    return stream;
  }

  /** A single-use ticket for {@code GET /api/v1/events}, taken as {@code token}. */
  public static String ticket(Client client, String token) {
    Client.Response response = client.post("/api/v1/events/ticket", token, new JsonObject());
    if (response.status() != 201) {
      throw new AssertionError("no ticket: " + response);
    }
    return response.json().getString("ticket");
  }

  public static EventStreamClient open(int port, String query, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events" + query))
      .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream");
    headers.forEach(request::header);
    try {
      return new EventStreamClient(HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  public String retry() {
    return retry;
  }

  /** The body of an answer that is not a stream (a problem). */
  public JsonObject problem() {
    try (InputStream in = response.body()) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next event that matches, skipping the others; fails after {@code within}. */
  public Received next(Predicate<Received> matching, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Received event;
      try {
        event = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (event == null) {
        throw new AssertionError("no matching event within " + within);
      }
      if (matching.test(event)) {
        return event;
      }
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already closed
    }
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            received.add(new Received(id, type == null ? "message" : type, data.toString()));
          }
          id = null;
          type = null;
          data = null;
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
        } else if (line.startsWith("retry: ")) {
          retry = line.substring(7);
        }
      }
    } catch (IOException e) {
      // closed by the test or reset by the server: the end of the stream either way
    }
    received.add(new Received(null, END, null));
  }
}

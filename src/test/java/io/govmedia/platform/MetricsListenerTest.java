package io.govmedia.platform;

import io.govmedia.Main;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Prometheus metrics")
class MetricsListenerTest {

  @Test
  @DisplayName("are not on the public port by default, but on the management port, as Prometheus text with request counts")
  void managementPortByDefault() {
    int managementPort = TestServer.freePort();
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_METRICS_PORT", String.valueOf(managementPort)))) {
      Client publicPort = new Client(server.port());
      publicPort.get("/health", null);
      assertEquals(404, publicPort.get("/metrics", null).status());

      Client.Response metrics = new Client(managementPort).get("/metrics", null);
      assertEquals(200, metrics.status());
      assertTrue(metrics.text().contains("vertx_http_server_requests_total"), "no request metrics");
      assertTrue(metrics.text().contains("jvm_memory_used_bytes"), "no JVM metrics");
      assertEquals(404, new Client(managementPort).get("/health", null).status(), "the management port serves metrics only");
    }
  }

  @Test
  @DisplayName("a management port in use fails the start with an unchecked exception, so that main exits")
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThrows(RuntimeException.class, () -> TestServer.get().startAnother(Map.of(
        "GOVMEDIA_METRICS_HOST", "127.0.0.1", "GOVMEDIA_METRICS_PORT", String.valueOf(taken.getLocalPort()))).close());
    }
  }

  @Test
  @DisplayName("are on the public port when GOVMEDIA_METRICS_PUBLIC=true")
  void publicWhenAsked() {
    try (Main.Running server = TestServer.get().startAnother(Map.of("GOVMEDIA_METRICS_PUBLIC", "true"))) {
      Client.Response metrics = new Client(server.port()).get("/metrics", null);
      assertEquals(200, metrics.status());
      assertTrue(metrics.text().contains("jvm_memory_used_bytes"), "no JVM metrics");
    }
  }

  @Test
  @DisplayName("the shared test server's public port answers 404 for /metrics")
  void sharedServerHidesThem() {
    assertEquals(404, TestServer.get().client().get("/metrics", null).status());
  }
}

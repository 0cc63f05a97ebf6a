package io.govmedia.weibo;

import io.govmedia.fakes.FakeWeibo;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;

/** Weibo accounts registered on the shared server, their apps in the shared fake Weibo, and the OAuth round trip. */
final class WeiboFixtures {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** A registered Weibo account without a token yet. */
  record Registered(String id, String appKey, String appSecret, String uid, String departmentId) {
  }

  private WeiboFixtures() {
  }

  /** One Weibo account per department (国办发〔2018〕123号): each in a department of its own. */
  static Registered account(Client client, String admin) {
    String departmentId = client.department(admin, "微博运营", null);
    String appKey = digits(10);
    String secret = "Sec" + digits(29);
    String uid = digits(10);
    Client.Response created = client.post("/api/v1/accounts", admin, new JsonObject().put("type", "weibo")
      .put("name", "微博-" + Client.unique()).put("departmentId", departmentId).put("appKey", appKey)
      .put("uid", uid).put("appSecret", secret));
    if (created.status() != 201) {
      throw new AssertionError("account creation failed: " + created);
    }
    TestServer.get().weibo().app(appKey, secret);
    return new Registered(created.json().getString("id"), appKey, secret, uid, departmentId);
  }

  /** What an admin's browser does: open the authorization URL at Weibo, follow its redirect back to us. */
  static Client.Response authorizeInBrowser(Client client, String authorizeUrl) {
    String location = redirect(authorizeUrl);
    URI back = URI.create(location);
    if (!TestServer.PUBLIC_HOST.equals(back.getHost())) {
      throw new AssertionError("Weibo redirected elsewhere: " + location);
    }
    return client.get(back.getRawPath() + "?" + back.getRawQuery(), null);
  }

  /** Binds a token through the whole OAuth flow, Weibo's user signed in being the account's own. */
  static Client.Response bind(Client client, String admin, Registered account, long expiresInSeconds) {
    FakeWeibo weibo = TestServer.get().weibo();
    weibo.signedIn(account.appKey(), account.uid(), expiresInSeconds);
    return authorizeInBrowser(client, authorizeUrl(client, admin, account.id()));
  }

  static String authorizeUrl(Client client, String admin, String accountId) {
    Client.Response answer = client.post("/api/v1/accounts/" + accountId + "/weibo/authorize", admin, "{}");
    if (answer.status() != 200) {
      throw new AssertionError("authorize failed: " + answer);
    }
    return answer.json().getString("url");
  }

  static String redirect(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
      return response.headers().firstValue("Location")
        .orElseThrow(() -> new AssertionError("no redirect: " + response.statusCode() + " " + response.body()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String digits(int length) {
    StringBuilder out = new StringBuilder().append(1 + RANDOM.nextInt(9));
    while (out.length() < length) {
      out.append(RANDOM.nextInt(10));
    }
    return out.toString();
  }
}

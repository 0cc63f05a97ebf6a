package io.govmedia.wechat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.accounts.Account;
import io.govmedia.accounts.AccountStore;
import io.govmedia.fakes.FakeWeChat;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Official accounts registered on the shared test server (and their apps in a fake WeChat), and the server's own
 * stores opened from a test, as a second instance would open them.
 */
final class GatewayFixtures {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static MongoClient mongo;

  /** A registered official account: its id and the AppID / AppSecret it holds. */
  record Registered(String id, String appId, String appSecret, String departmentId) {}

  private GatewayFixtures() {
  }

  /** Registers an official account of the department as admin, and its app in {@code fake}. */
  static Registered officialAccount(Client client, String admin, String departmentId, FakeWeChat fake) {
    String appId = "wx" + chars("0123456789abcdef", 16);
    String secret = "Sec" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 29);
    JsonObject body = new JsonObject().put("type", "wechat_mp").put("name", "公众号-" + Client.unique())
      .put("departmentId", departmentId).put("kind", "service").put("appId", appId)
      .put("originalId", "gh_" + chars("0123456789abcdef", 12)).put("appSecret", secret)
      .put("token", "Tok" + chars("abcdefghijklmnopqrstuvwxyz", 17)).put("callbackMode", "plain");
    Client.Response created = client.post("/api/v1/accounts", admin, body);
    if (created.status() != 201) {
      throw new AssertionError("account creation failed: " + created);
    }
    fake.app(appId, secret);
    return new Registered(created.json().getString("id"), appId, secret, departmentId);
  }

  /** The shared server's database, as another instance sees it. */
  static synchronized MongoDatabase db() {
    if (mongo == null) {
      mongo = MongoClients.create(TestServer.get().mongoUri());
      Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
    }
    return mongo.getDatabase("govmedia_test");
  }

  /** The account store of another instance: same database, same key file. */
  static AccountStore accountStore() {
    return new AccountStore(db(), Secrets.fromConfig(Optional.empty(), TestServer.get().dataDir()));
  }

  static Account account(AccountStore accounts, String id) {
    return await(accounts.find(id));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in time", e);
    }
  }

  /** The failure of a future that must fail. */
  static Throwable failure(Future<?> future) {
    try {
      future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer in time", e);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  static String openid() {
    return "o" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 27);
  }

  private static String chars(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}

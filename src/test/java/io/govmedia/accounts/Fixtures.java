package io.govmedia.accounts;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Secrets;
import io.govmedia.support.Client;
import io.govmedia.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.bson.Document;
import org.reactivestreams.Publisher;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.eq;

/** Valid account bodies with unique platform ids and secrets, and direct looks at what the server stored. */
public final class Fixtures {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private static MongoClient mongo;
  private static Secrets serverSecrets;

  private Fixtures() {
  }

  public static String appId() {
    return "wx" + chars("0123456789abcdef", 16);
  }

  static String originalId() {
    return "gh_" + chars("0123456789abcdef", 12);
  }

  public static String alnum(int length) {
    return chars(ALNUM, length);
  }

  public static String digits(int length) {
    return chars("123456789", 1) + chars("0123456789", length - 1);
  }

  public static JsonObject wechatMp(String departmentId, String kind) {
    return new JsonObject().put("type", "wechat_mp").put("name", "公众号-" + Client.unique()).put("departmentId", departmentId)
      .put("kind", kind).put("appId", appId()).put("originalId", originalId())
      .put("appSecret", "Sec" + alnum(29)).put("token", "Tok" + alnum(17)).put("aesKey", alnum(43))
      .put("callbackMode", "safe");
  }

  public static JsonObject miniapp(String departmentId) {
    return new JsonObject().put("type", "wechat_miniapp").put("name", "小程序-" + Client.unique())
      .put("departmentId", departmentId).put("appId", appId()).put("appSecret", "Sec" + alnum(29));
  }

  public static JsonObject weibo(String departmentId) {
    return new JsonObject().put("type", "weibo").put("name", "微博-" + Client.unique()).put("departmentId", departmentId)
      .put("appKey", digits(10)).put("uid", digits(12)).put("appSecret", "Sec" + alnum(29))
      .put("accessToken", "2.00" + alnum(20) + "_" + alnum(8)).put("tokenExpiresAt", "2030-06-30T12:00:00+08:00");
  }

  /** Registers an account as admin, failing the test unless it is created; answers the created account. */
  public static JsonObject create(Client client, String admin, JsonObject body) {
    Client.Response response = client.post("/api/v1/accounts", admin, body);
    if (response.status() != 201) {
      throw new AssertionError("account creation failed: " + response);
    }
    return response.json();
  }

  /** Every account the token may see, following {@code next} through all pages. */
  static List<JsonObject> listAll(Client client, String token, String query) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    do {
      String path = "/api/v1/accounts?limit=200" + (query == null ? "" : "&" + query) + (cursor == null ? "" : "&cursor=" + cursor);
      Client.Response page = client.get(path, token);
      if (page.status() != 200) {
        throw new AssertionError("listing failed: " + page);
      }
      page.items().forEach(item -> all.add((JsonObject) item));
      cursor = page.json().getString("next");
    } while (cursor != null);
    return all;
  }

  static List<String> names(List<JsonObject> accounts) {
    return accounts.stream().map(a -> a.getString("name")).toList();
  }

  static List<String> ids(List<JsonObject> accounts) {
    return accounts.stream().map(a -> a.getString("id")).toList();
  }

  /** The account's document as stored in the shared server's database. */
  static Document stored(String accountId) {
    return first(collection("accounts").find(eq("_id", accountId)));
  }

  static List<Document> auditOf(String targetId) {
    return all(collection("audit_log").find(eq("targetId", targetId)));
  }

  /** Opens a stored secret with the shared server's own key file, the way the server will when it calls WeChat. */
  static String open(String accountId, String name) {
    Document secrets = stored(accountId).get("secrets", Document.class);
    return serverSecrets().open(secrets.getString(name), "account/" + accountId + "/" + name);
  }

  private static synchronized Secrets serverSecrets() {
    if (serverSecrets == null) {
      serverSecrets = Secrets.fromConfig(Optional.empty(), TestServer.get().dataDir());
    }
    return serverSecrets;
  }

  static synchronized MongoCollection<Document> collection(String name) {
    if (mongo == null) {
      mongo = MongoClients.create(TestServer.get().mongoUri());
      Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
    }
    return mongo.getDatabase("govmedia_test").getCollection(name);
  }

  static <T> T first(Publisher<T> publisher) {
    List<T> items = all(publisher);
    return items.isEmpty() ? null : items.get(0);
  }

  static <T> List<T> all(Publisher<T> publisher) {
    try {
      return Mongo.all(publisher).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("MongoDB did not answer in time", e);
    }
  }

  private static String chars(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}

package io.govmedia.wechat;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.AuditLog;
import io.govmedia.platform.Mongo;
import io.govmedia.platform.Problem;
import io.govmedia.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.bson.Document;

import java.time.Instant;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;

/**
 * The last menu pushed to each official account, and the outcome of the last attempt (which may have failed,
 * leaving the pushed one live). One document per account, each change one atomic upsert.
 */
final class MenuStore {

  /** What the office last pushed ({@code buttons} null until a push succeeded) and how the last attempt went. */
  record StoredMenu(String accountId, JsonObject buttons, Instant pushedAt, JsonObject pushedBy, JsonObject lastAttempt) {

    JsonObject toJson() {
      return new JsonObject().put("accountId", accountId)
        .put("buttons", buttons == null ? null : buttons.getJsonArray("buttons"))
        .put("pushedAt", Times.show(pushedAt)).put("pushedBy", pushedBy).put("lastAttempt", lastAttempt);
    }

    static StoredMenu from(Document d) {
      Document menu = d.get("menu", Document.class);
      Document by = d.get("pushedBy", Document.class);
      Document attempt = d.get("lastAttempt", Document.class);
      return new StoredMenu(d.getString("_id"), menu == null ? null : new JsonObject(menu.toJson()),
        Times.instant(d.getDate("pushedAt")), by == null ? null : new JsonObject(by.toJson()),
        attempt == null ? null : attemptJson(attempt));
    }

    private static JsonObject attemptJson(Document attempt) {
      JsonObject json = new JsonObject(attempt.toJson());
      return json.put("at", Times.show(Times.instant(attempt.getDate("at"))));
    }
  }

  private final MongoCollection<Document> menus;

  public MenuStore(MongoDatabase db) {
    this.menus = db.getCollection("wechat_menus");
  }

  Future<StoredMenu> find(String accountId) {
    return Mongo.first(menus.find(eq("_id", accountId))).map(d -> d == null ? null : StoredMenu.from(d));
  }

  Future<StoredMenu> pushed(String accountId, Menu menu, AuditLog.Actor by, Instant at) {
    Document actor = actor(by);
    Document attempt = new Document("at", Times.date(at)).append("by", actor).append("result", "pushed");
    return upsert(accountId, combine(set("menu", Document.parse(menu.toJson().encode())), set("pushedAt", Times.date(at)),
      set("pushedBy", actor), set("lastAttempt", attempt)))
      .compose(done -> find(accountId));
  }

  /** Records a refused or failed push; the menu pushed before stays what WeChat shows. */
  Future<Void> failed(String accountId, Menu menu, AuditLog.Actor by, Instant at, Throwable failure) {
    Document attempt = new Document("at", Times.date(at)).append("by", actor(by)).append("result", "failed")
      .append("buttons", Document.parse(menu.toJson().encode()).get("buttons"));
    if (failure instanceof Problem problem) {
      attempt.append("code", problem.code()).append("errcode", problem.extensions().getInteger("errcode"))
        .append("errmsg", problem.extensions().getString("errmsg"));
    } else {
      attempt.append("code", "internal-error");
    }
    return upsert(accountId, set("lastAttempt", attempt));
  }

  private Future<Void> upsert(String accountId, org.bson.conversions.Bson update) {
    return Mongo.first(menus.updateOne(eq("_id", accountId), update, new UpdateOptions().upsert(true))).mapEmpty();
  }

  private static Document actor(AuditLog.Actor by) {
    return new Document("id", by.id()).append("username", by.username());
  }
}

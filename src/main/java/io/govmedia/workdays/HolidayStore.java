package io.govmedia.workdays;

import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.govmedia.platform.Mongo;
import io.vertx.core.Future;
import org.bson.Document;

import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/** The tables admins added, one document per year ({@code _id} = the year); a handful of small documents. */
final class HolidayStore {

  private final MongoCollection<Document> tables;

  HolidayStore(MongoDatabase db) {
    this.tables = db.getCollection("holidays");
  }

  Future<List<HolidayTable>> all() {
    return Mongo.all(tables.find()).map(documents -> documents.stream().map(HolidayTable::from).toList());
  }

  /** Stores the year's table, replacing any earlier one for that year. */
  Future<HolidayTable> put(HolidayTable table) {
    return Mongo.first(tables.replaceOne(eq("_id", table.year()), table.toDocument(), new ReplaceOptions().upsert(true)))
      .map(table);
  }
}

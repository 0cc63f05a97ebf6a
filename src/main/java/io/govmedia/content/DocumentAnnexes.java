package io.govmedia.content;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * What other features show with a document without content knowing them (a consultation's adoption summary,
 * 采纳情况): a field on the staff view, and a section on the public page once the document is published.
 */
public final class DocumentAnnexes {

  /**
   * One annex: {@code staffView} goes under {@code field} on the staff view; {@code heading} and {@code lines} (plain
   * text, escaped when shown) make the public page's section, or are null when nothing is public.
   */
  public record Annex(String field, JsonObject staffView, String heading, List<String> lines) {
  }

  private final List<Function<String, Future<Annex>>> sources = new CopyOnWriteArrayList<>();

  /** {@code source} answers a document id's annex, or null when it has none. */
  void add(Function<String, Future<Annex>> source) {
    sources.add(source);
  }

  /** The annexes of a document, in the order the sources were added. */
  Future<List<Annex>> of(String documentId) {
    if (sources.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Future.all(sources.stream().map(source -> source.apply(documentId)).toList())
      .map(all -> all.<Annex>list().stream().filter(annex -> annex != null).toList());
  }
}

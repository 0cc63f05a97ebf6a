package io.govmedia.citizen;

import io.govmedia.content.DocumentAnnexes;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.List;

/**
 * What a document shows of its consultation: staff see the current one (with its summary once published); the
 * public page of the published document shows the adoption summary (采纳情况).
 */
final class ConsultationAnnex {

  private final Consultations store;
  private final Clock clock;

  ConsultationAnnex(Consultations store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Future<DocumentAnnexes.Annex> of(String documentId) {
    return store.ofDocument(documentId).map(both -> {
      Consultation current = both.current();
      Consultation summarized = both.summarized();
      Consultation shown = current != null ? current : summarized;
      if (shown == null) {
        return null;
      }
      List<String> lines = summarized == null ? null : summarized.summary().lines();
      return new DocumentAnnexes.Annex("consultation", shown.toJson(ConsultationRoutes.today(clock.instant())),
        lines == null ? null : "意见征集采纳情况", lines);
    });
  }
}

package io.govmedia.publishing;

import io.govmedia.platform.Problem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The table of slot transitions")
class SlotStatusTest {

  @Test
  @DisplayName("once a send started a slot is never cancelled, and it is sent again only through scheduled")
  void startedSlots() {
    for (SlotStatus started : EnumSet.of(SlotStatus.PUBLISHING, SlotStatus.NEEDS_CHECK, SlotStatus.PUBLISHED,
      SlotStatus.FAILED, SlotStatus.WITHDRAWN)) {
      assertFalse(started.canMoveTo(SlotStatus.CANCELLED), started::wire);
      assertTrue(started.started(), started::wire);
    }
    // publishing → publishing records what a send learned (ids, the next check); nothing else starts a send
    for (SlotStatus status : SlotStatus.values()) {
      assertEquals(status == SlotStatus.SCHEDULED || status == SlotStatus.PUBLISHING,
        status.canMoveTo(SlotStatus.PUBLISHING), status::wire);
    }
  }

  @Test
  @DisplayName("published is left only by withdrawal; withdrawn and cancelled are final")
  void finalStates() {
    assertEquals(EnumSet.of(SlotStatus.WITHDRAWN), SlotStatus.PUBLISHED.next());
    assertTrue(SlotStatus.WITHDRAWN.next().isEmpty());
    assertTrue(SlotStatus.CANCELLED.next().isEmpty());
    Problem refused = assertThrows(Problem.class, () -> SlotStatus.CANCELLED.require(SlotStatus.SCHEDULED, "slot-changed"));
    assertEquals(409, refused.status());
  }

  @Test
  @DisplayName("an unknown outcome (needs_check) ends only as published, failed (not found), or scheduled by a confirming editor")
  void needsCheck() {
    assertEquals(EnumSet.of(SlotStatus.NEEDS_CHECK, SlotStatus.PUBLISHED, SlotStatus.FAILED, SlotStatus.SCHEDULED),
      SlotStatus.NEEDS_CHECK.next());
  }
}

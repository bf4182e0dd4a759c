package org.vigil.correlation.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vigil.correlation.netflow.SequenceCheck.Outcome;

class SequenceCheckTest {
  private static final long MAX_GAP = 1L << 20;

  @Test
  void theFirstPacketOnlySetsTheExpectation() {
    assertThat(SequenceCheck.of(null, 12345, MAX_GAP))
        .isEqualTo(new SequenceCheck(Outcome.FIRST, 0));
  }

  @Test
  void theExpectedNumberIsInOrder() {
    assertThat(SequenceCheck.of(662L, 662, MAX_GAP).outcome()).isEqualTo(Outcome.IN_ORDER);
  }

  @Test
  void aForwardJumpCountsTheMissingUnits() {
    assertThat(SequenceCheck.of(662L, 670, MAX_GAP)).isEqualTo(new SequenceCheck(Outcome.GAP, 8));
  }

  @Test
  void aGapAcrossTheWrapOfTheUnsigned32BitCounterIsCountedOnce() {
    assertThat(SequenceCheck.of(0xFFFF_FFFEL, 3, MAX_GAP))
        .isEqualTo(new SequenceCheck(Outcome.GAP, 5));
    assertThat(SequenceCheck.of(0xFFFF_FFFFL, 0, MAX_GAP))
        .isEqualTo(new SequenceCheck(Outcome.GAP, 1));
  }

  @Test
  void aReorderedPacketIsLateAndDoesNotMoveTheExpectationBack() {
    SequenceCheck check = SequenceCheck.of(700L, 690, MAX_GAP);
    assertThat(check).isEqualTo(new SequenceCheck(Outcome.LATE, 0));
    assertThat(check.advances()).isFalse();
  }

  @Test
  void anExporterRestartResetsWithoutCountingLoss() {
    SequenceCheck check = SequenceCheck.of(970_830_116L, 1, MAX_GAP);
    assertThat(check).isEqualTo(new SequenceCheck(Outcome.RESET, 0));
    assertThat(check.advances()).isTrue();
  }

  @Test
  void aJumpBeyondTheMaximumGapIsARestartNotLoss() {
    assertThat(SequenceCheck.of(10L, 10 + MAX_GAP + 1, MAX_GAP).outcome()).isEqualTo(Outcome.RESET);
  }
}

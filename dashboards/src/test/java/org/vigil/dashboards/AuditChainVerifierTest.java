package org.vigil.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainVerifierTest {
  private final InMemoryAuditTrail trail = new InMemoryAuditTrail();

  private void append(int n) {
    for (int i = 0; i < n; i++) {
      trail.append(
          AuditEvent.success(
              "ana", i % 2 == 0 ? null : "10.0.0.1", "alert.view", "a" + i, Map.of("i", i)));
    }
  }

  @Test
  void emptyTrailIsIntact() {
    AuditVerification result = trail.verify();
    assertThat(result.valid()).isTrue();
    assertThat(result.records()).isZero();
    assertThat(result.message()).isEqualTo("chain intact: 0 records");
  }

  @Test
  void untouchedChainIsIntactWithItsHead() {
    append(5);
    AuditVerification result = trail.verify();
    assertThat(result.valid()).isTrue();
    assertThat(result.records()).isEqualTo(5);
    assertThat(result.head()).hasSize(64);
    assertThat(result.message()).isEqualTo("chain intact: 5 records");
  }

  @Test
  void changedFieldBreaksTheChainAtThatRecord() {
    append(5);
    trail.tamper(3, "actor", "mallory");
    AuditVerification result = trail.verify();
    assertThat(result.valid()).isFalse();
    assertThat(result.firstBrokenSeq()).isEqualTo(3);
    assertThat(result.reason()).contains("changed after writing");
    assertThat(result.message()).startsWith("chain broken at record 3: ");
  }

  @Test
  void rehashedRecordIsCaughtByTheNextLink() {
    append(5);
    trail.tamper(2, "actor", "mallory");
    trail.tamper(2, "hash", "f".repeat(64));
    AuditVerification result = trail.verify();
    assertThat(result.firstBrokenSeq()).isEqualTo(2);
  }

  @Test
  void deletedRecordIsNamedAsAGap() {
    append(5);
    trail.remove(4);
    AuditVerification result = trail.verify();
    assertThat(result.valid()).isFalse();
    assertThat(result.firstBrokenSeq()).isEqualTo(4);
    assertThat(result.reason()).contains("record 4 is missing");
  }

  @Test
  void chainMustStartAtOne() {
    append(3);
    trail.remove(1);
    AuditVerification result = trail.verify();
    assertThat(result.firstBrokenSeq()).isEqualTo(1);
    assertThat(result.reason()).contains("record 1 is missing");
  }
}

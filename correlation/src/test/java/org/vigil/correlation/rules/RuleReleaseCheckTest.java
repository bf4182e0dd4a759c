package org.vigil.correlation.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.rules.RuleStageHarness.bruteForceAtThree;
import static org.vigil.correlation.rules.RuleStageHarness.release;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Topics;
import org.vigil.rules.engine.RuleRelease;

class RuleReleaseCheckTest {
  private OneInputStreamOperatorTestHarness<RawRecord, String> harness;
  private long offset;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forProcessFunction(new RuleReleaseCheck());
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(String value) throws Exception {
    harness.processElement(
        new RawRecord(Topics.RULES, 0, offset++, value.getBytes(StandardCharsets.UTF_8), null), 0);
  }

  @Test
  void passesAReleaseThatCompiles() throws Exception {
    send(release("vigil", 1, Map.of("auth.drl", bruteForceAtThree())));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(json -> assertThat(RuleRelease.fromJson(json).version()).isEqualTo(1));
    assertThat(harness.getSideOutput(RuleReleaseCheck.DEAD_LETTERS)).isNull();
  }

  @Test
  void deadLettersAReleaseThatDoesNotCompileWithItsErrors() throws Exception {
    String broken = bruteForceAtThree().replace("size >= 3", "size >= ");
    send(release("vigil", 4, Map.of("auth.drl", broken)));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.getSideOutput(RuleReleaseCheck.DEAD_LETTERS))
        .singleElement()
        .extracting(StreamRecord::getValue)
        .satisfies(
            (DeadLetter d) -> {
              assertThat(d.reason).contains("vigil version 4").contains("auth.drl:");
              assertThat(d.offset).isZero();
              assertThat(d.topic).isEqualTo(Topics.RULES);
            });
  }

  @Test
  void deadLettersARecordThatIsNoRelease() throws Exception {
    send("{\"ruleset\":\"vigil\"}");

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.getSideOutput(RuleReleaseCheck.DEAD_LETTERS)).hasSize(1);
  }

  @Test
  void ignoresATombstone() throws Exception {
    send("");

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.getSideOutput(RuleReleaseCheck.DEAD_LETTERS)).isNull();
  }
}

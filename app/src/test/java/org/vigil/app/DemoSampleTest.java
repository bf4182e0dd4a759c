package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoSampleTest {
  private static List<String> lines() throws Exception {
    try (BufferedReader reader = DemoSample.open()) {
      return reader.lines().collect(Collectors.toList());
    }
  }

  @Test
  void isAnRfc3164AuthLogOfAboutTwoHundredLines() throws Exception {
    List<String> lines = lines();
    assertThat(lines).hasSizeBetween(180, 220);
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches("[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\S+: .*"));
  }

  @Test
  void holdsTwoBruteForceBurstsASprayAndASuccessAfterFailures() throws Exception {
    List<String> lines = lines();
    for (String source : DemoSample.BRUTE_FORCE_SOURCES) {
      assertThat(
              lines.stream().filter(l -> l.contains("Failed password") && l.contains(source + " ")))
          .hasSizeGreaterThanOrEqualTo(5);
    }
    assertThat(
            lines.stream()
                .filter(l -> l.contains("Failed password") && l.contains(DemoSample.SPRAY_SOURCE))
                .map(l -> l.replaceAll(".*Failed password for (invalid user )?(\\S+) .*", "$2"))
                .distinct())
        .hasSizeGreaterThanOrEqualTo(5);
    String success = DemoSample.SUCCESS_AFTER_FAILURES_SOURCE;
    int firstAccepted = indexOf(lines, "Accepted password for deploy from " + success);
    assertThat(firstAccepted).isPositive();
    assertThat(
            lines.subList(0, firstAccepted).stream()
                .filter(l -> l.contains("Failed password") && l.contains(success)))
        .hasSizeGreaterThanOrEqualTo(5);
    assertThat(lines).anyMatch(l -> l.contains("Accepted publickey"));
    assertThat(lines).anyMatch(l -> l.contains(" sudo: "));
    assertThat(lines).anyMatch(l -> l.contains(" CRON["));
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }
}

package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void showsDropsAsAppOverKernelWithUnknownsMarked() {
    assertThat(BenchReport.drops(3, 7)).isEqualTo("3/7");
    assertThat(BenchReport.drops(-1, 7)).isEqualTo("-/7");
    assertThat(BenchReport.drops(3, -1)).isEqualTo("3/?");
    assertThat(BenchReport.drops(-1, -1)).isEqualTo("-");
  }

  @Test
  void leavesUnknownDropsOutOfTheJson() {
    ObjectNode result = BenchReport.jsonRoot();
    BenchReport.putDrops(result, 0, -1);
    assertThat(BenchReport.write(result))
        .isEqualTo("{\n  \"collectorDrops\" : 0\n}" + System.lineSeparator());
  }
}

package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parsesHostAndPort() {
    assertThat(HostPort.parse("127.0.0.1:5514")).isEqualTo(new HostPort("127.0.0.1", 5514));
    assertThat(HostPort.parse("[::1]:514")).isEqualTo(new HostPort("::1", 514));
    assertThat(HostPort.parse("[::1]:514")).hasToString("[::1]:514");
  }

  @Test
  void rejectsMalformedText() {
    assertThatThrownBy(() -> HostPort.parse("localhost")).hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> HostPort.parse("localhost:http")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostPort.parse("localhost:70000"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> HostPort.parse(":5514")).hasMessageContaining("no host");
    assertThatThrownBy(() -> HostPort.parse("::1:5514")).hasMessageContaining("brackets");
  }

  @Test
  void unknownHostFailsOnResolve() {
    assertThatThrownBy(() -> new HostPort("no-such-host.invalid", 5514).resolve())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown host 'no-such-host.invalid'");
  }
}

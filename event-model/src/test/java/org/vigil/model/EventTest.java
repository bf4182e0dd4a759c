package org.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventTest {
  @Test
  void precedesOrdersByTimeThenByIdSoThatExactlyOneOfTwoCopiesComesFirst() {
    Event first = new Event("a", 1_000);
    Event copy = new Event("b", 1_000);
    Event later = new Event("a", 1_001);

    assertThat(first.precedes(copy)).isTrue();
    assertThat(copy.precedes(first)).isFalse();
    assertThat(copy.precedes(later)).isTrue();
    assertThat(later.precedes(copy)).isFalse();
    assertThat(first.precedes(first)).isFalse();
  }

  @Test
  void portsReadAsTextWhateverTheirType() {
    Event e = new Event("a", 0).put("source.port", 51004L).put("destination.port", "443");

    assertThat(e.getSourcePort()).isEqualTo("51004");
    assertThat(e.getDestinationPort()).isEqualTo("443");
    assertThat(new Event("b", 0).getDestinationPort()).isNull();
  }
}

package org.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /**
   * Rule packs keep only the fields rules can read, and a getter reads one without naming it: every
   * field-reading getter must read from {@link Event#PROPERTY_FIELDS} and nothing else.
   */
  @Test
  void everyFieldGetterReadsOneOfThePropertyFields() throws Exception {
    Event onlyThose = new Event("a", 0);
    Event allBut = new Event("b", 0);
    for (String field : Event.PROPERTY_FIELDS) {
      onlyThose.put(field, "v");
    }
    allBut.put("message", "v").put("user.id", "v").put("event.type", "v");
    Set<String> own = Set.of("getId", "getTimestamp", "getFields", "getClass");
    int getters = 0;
    for (Method m : Event.class.getMethods()) {
      if (!m.getName().startsWith("get")
          || m.getParameterCount() > 0
          || Modifier.isStatic(m.getModifiers())
          || own.contains(m.getName())) {
        continue;
      }
      getters++;
      assertThat(m.invoke(onlyThose)).as(m.getName()).isNotNull();
      assertThat(m.invoke(allBut)).as(m.getName()).isNull();
    }
    assertThat(getters).isEqualTo(Event.PROPERTY_FIELDS.size());
  }

  @Test
  void aFrozenCopyHoldsTheSameFieldsAndCannotChange() {
    Event e =
        new Event("a", 5)
            .put("source.ip", "203.0.113.7")
            .put("source.port", 51004L)
            .put("message", "m")
            .addTo("event.category", "authentication");

    Event frozen = e.frozenCopy();
    Event some = e.frozenCopy(name -> name.startsWith("source."));

    assertThat(frozen).isEqualTo(e);
    assertThat(some.getId()).isEqualTo("a");
    assertThat(some.getTimestamp()).isEqualTo(5);
    assertThat(some.getFields()).containsOnlyKeys("source.ip", "source.port");
    assertThatThrownBy(() -> frozen.put("user.name", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) frozen.get("event.category")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(e.put("user.name", "x").get("user.name")).isEqualTo("x"); // the original is not
  }

  @Test
  void aFieldWithANullValueIsKeptInAMutableMapButTheCopyStillRefusesChanges() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("source.ip", "203.0.113.7");
    fields.put("user.name", null);
    Event e = new Event("a", 5);
    e.setFields(fields);

    Event copy = e.frozenCopy();

    assertThat(copy.getFields()).containsEntry("user.name", null).hasSize(2);
    assertThat(copy.getFields()).isNotInstanceOf(FrozenFields.class);
    assertThatThrownBy(() -> copy.put("host.name", "h"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anEventWithSharedFrozenFieldsChangesItsOwnCopy() {
    // As the serializer reads an event: frozen fields, but an event a later stage may change.
    Map<String, Object> read =
        new FrozenFields.Builder(2)
            .add("source.ip", "203.0.113.7")
            .add("tags", List.of("a"))
            .build();
    Event e = new Event("a", 5);
    e.setFields(read);

    assertThat(e.frozenCopy().getFields()).isSameAs(read); // shared, not copied
    e.put("user.name", "x").addTo("tags", "b");

    assertThat(e.get("user.name")).isEqualTo("x");
    assertThat(e.get("tags")).isEqualTo(List.of("a", "b"));
    assertThat(read).containsOnlyKeys("source.ip", "tags").containsEntry("tags", List.of("a"));
    assertThat(e.getFields()).containsKeys("source.ip", "tags", "user.name");
  }
}

package org.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenFieldsTest {
  private static Map<String, Object> sshd() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event.dataset", "sshd");
    m.put("event.outcome", "failure");
    m.put("source.ip", "203.0.113.7");
    m.put("source.port", 51004L);
    m.put("user.name", "root");
    m.put("event.category", new ArrayList<>(List.of("authentication")));
    return m;
  }

  @Test
  void holdsTheSameFieldsInTheSameOrder() {
    Map<String, Object> fields = sshd();
    Map<String, Object> frozen = FrozenFields.of(fields);

    assertThat(frozen).isInstanceOf(FrozenFields.class).isEqualTo(fields);
    assertThat(fields).isEqualTo(frozen);
    assertThat(frozen.hashCode()).isEqualTo(fields.hashCode());
    assertThat(List.copyOf(frozen.keySet())).isEqualTo(List.copyOf(fields.keySet()));
    assertThat(frozen.get("source.port")).isEqualTo(51004L);
    assertThat(frozen.get("host.name")).isNull();
    assertThat(frozen.get(7)).isNull();
    assertThat(frozen.containsKey("user.name")).isTrue();
    assertThat(frozen.containsKey("user")).isFalse();
    List<String> seen = new ArrayList<>();
    frozen.forEach((name, value) -> seen.add(name + "=" + value));
    assertThat(seen).first().isEqualTo("event.dataset=sshd");
    assertThat(seen).hasSize(6);
  }

  @Test
  void refusesEveryChange() {
    Map<String, Object> frozen = FrozenFields.of(sshd());

    assertThatThrownBy(() -> frozen.put("host.name", "h"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.remove("source.ip"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(frozen::clear).isInstanceOf(UnsupportedOperationException.class);
    Iterator<Map.Entry<String, Object>> entries = frozen.entrySet().iterator();
    Map.Entry<String, Object> first = entries.next();
    assertThatThrownBy(entries::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> first.setValue("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) frozen.get("event.category")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void findsEveryFieldOfAWideEventAndNoOther() {
    FrozenFields.Builder builder = new FrozenFields.Builder(3); // fewer than come: it grows
    for (int i = 0; i < 200; i++) {
      builder.add("f" + i, (long) i);
    }
    Map<String, Object> frozen = builder.build();

    assertThat(frozen).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(frozen.get("f" + i)).isEqualTo((long) i);
      assertThat(frozen.get("g" + i)).isNull();
    }
    assertThat(List.copyOf(frozen.keySet()).subList(0, 3)).containsExactly("f0", "f1", "f2");
  }

  @Test
  void aRepeatedNameKeepsItsPlaceAndItsLastValue() {
    Map<String, Object> frozen =
        new FrozenFields.Builder(3).add("a", 1L).add("b", 2L).add("a", 3L).build();

    assertThat(frozen).hasSize(2).containsEntry("a", 3L).containsEntry("b", 2L);
    assertThat(List.copyOf(frozen.keySet())).containsExactly("a", "b");
  }

  @Test
  void aNullNameOrValueGivesAMutableMap() {
    Map<String, Object> nullValue = new FrozenFields.Builder(2).add("a", 1L).add("b", null).build();
    Map<String, Object> nullName = new FrozenFields.Builder(1).add(null, 1L).add("b", 2L).build();

    assertThat(nullValue).isInstanceOf(LinkedHashMap.class).containsEntry("b", null);
    assertThat(nullName).isInstanceOf(LinkedHashMap.class).containsEntry(null, 1L).hasSize(2);
  }

  @Test
  void listsAreFrozenUnlessTheyHoldANull() {
    List<Object> withNull = new ArrayList<>(Arrays.asList("a", null));
    Map<String, Object> frozen =
        new FrozenFields.Builder(2)
            .add("tags", new ArrayList<>(List.of("x")))
            .add("odd", withNull)
            .build();

    assertThatThrownBy(() -> ((List<?>) frozen.get("tags")).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(frozen.get("odd")).isSameAs(withNull);
  }

  @Test
  void filteringKeepsWhatIsAskedAndSharesWhatIsKeptWhole() {
    Map<String, Object> frozen = FrozenFields.of(sshd());

    assertThat(FrozenFields.of(frozen)).isSameAs(frozen);
    assertThat(FrozenFields.filtered(frozen, name -> true)).isSameAs(frozen);
    Map<String, Object> source = FrozenFields.filtered(frozen, name -> name.startsWith("source."));
    assertThat(source).containsOnlyKeys("source.ip", "source.port");
    assertThat(source.get("source.ip")).isEqualTo("203.0.113.7");
    assertThat(FrozenFields.filtered(frozen, name -> false)).isEmpty();
    assertThat(FrozenFields.filtered(frozen, name -> false).get("source.ip")).isNull();
  }

  @Test
  void fieldsBuiltLikeTheEventBeforeShareItsNamesAndOnlyThen() {
    Map<String, Object> first = build(sshd(), null);
    Map<String, Object> next = sshd();
    next.put("source.ip", "198.51.100.4");

    FrozenFields same = (FrozenFields) build(next, first);
    assertThat(same).isEqualTo(next);
    assertThat(same.get("source.ip")).isEqualTo("198.51.100.4");
    assertThat(same.sharesNamesWith((FrozenFields) first)).isTrue();
    assertThat(first.get("source.ip")).isEqualTo("203.0.113.7");

    Map<String, Object> reordered = new LinkedHashMap<>();
    reordered.put("event.outcome", "failure");
    reordered.put("event.dataset", "sshd");
    FrozenFields other = (FrozenFields) build(reordered, first);
    assertThat(other).isEqualTo(reordered);
    assertThat(other.sharesNamesWith((FrozenFields) first)).isFalse();
    assertThat(List.copyOf(other.keySet())).containsExactly("event.outcome", "event.dataset");

    Map<String, Object> fewer = sshd();
    fewer.remove("user.name");
    assertThat(build(fewer, first)).isEqualTo(fewer);
    Map<String, Object> withNull = sshd();
    withNull.put("user.name", null);
    assertThat(build(withNull, first)).isNotInstanceOf(FrozenFields.class).isEqualTo(withNull);
  }

  private static Map<String, Object> build(Map<String, Object> fields, Map<String, Object> like) {
    FrozenFields.Builder builder = new FrozenFields.Builder(fields.size());
    fields.forEach(builder::add);
    return builder.build(like);
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    Map<String, Object> frozen = FrozenFields.of(sshd());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(frozen);
    }
    Object back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = in.readObject();
    }

    assertThat(back).isInstanceOf(FrozenFields.class).isEqualTo(frozen);
    assertThat(((Map<?, ?>) back).get("user.name")).isEqualTo("root");
  }
}

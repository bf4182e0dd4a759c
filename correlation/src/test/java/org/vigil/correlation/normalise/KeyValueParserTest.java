package org.vigil.correlation.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyValueParserTest {

  @Test
  void readsQuotedAndUnquotedValuesInOrder() {
    Map<String, String> pairs =
        KeyValueParser.parse(
            "devname=\"FGT60F\" srcip=203.0.113.9 msg=\"Admin login failed\" policyid=0");
    assertThat(pairs)
        .containsExactly(
            Map.entry("devname", "FGT60F"),
            Map.entry("srcip", "203.0.113.9"),
            Map.entry("msg", "Admin login failed"),
            Map.entry("policyid", "0"));
  }

  @Test
  void unescapesQuotesAndBackslashesInsideQuotedValues() {
    Map<String, String> pairs =
        KeyValueParser.parse("url=\"/a?q=\\\"x y\\\"\" path=\"C:\\\\temp\\\\\" next=1");
    assertThat(pairs)
        .containsEntry("url", "/a?q=\"x y\"")
        .containsEntry("path", "C:\\temp\\")
        .containsEntry("next", "1");
  }

  @Test
  void keepsBackslashThatEscapesNothing() {
    assertThat(KeyValueParser.parse("user=\"CORP\\alice\"")).containsEntry("user", "CORP\\alice");
  }

  @Test
  void givesEmptyValuesForBareAndEmptyQuotedValues() {
    Map<String, String> pairs = KeyValueParser.parse("a= b=\"\" c=3 d=");
    assertThat(pairs)
        .containsEntry("a", "")
        .containsEntry("b", "")
        .containsEntry("c", "3")
        .containsEntry("d", "");
  }

  @Test
  void skipsTextThatIsNotAPairAndKeepsTheFirstOfARepeatedKey() {
    Map<String, String> pairs =
        KeyValueParser.parse("  garbage =lonely \"quoted\" x=1 x=2 tail\tkey=\"v\"junk z=9 ");
    assertThat(pairs)
        .containsExactly(Map.entry("x", "1"), Map.entry("key", "v"), Map.entry("z", "9"));
  }

  @Test
  void runsAnUnterminatedQuotedValueToTheEnd() {
    assertThat(KeyValueParser.parse("a=1 msg=\"cut short by the send"))
        .containsEntry("a", "1")
        .containsEntry("msg", "cut short by the send");
  }

  @Test
  void copiesOnlyTheWantedKeys() {
    Map<String, String> pairs =
        KeyValueParser.parse("a=1 b=\"two \\\"2\\\"\" c=3", Set.of("a", "c", "missing"));
    assertThat(pairs).containsExactly(Map.entry("a", "1"), Map.entry("c", "3"));
  }

  @Test
  void toleratesEmptyNullAndRandomText() {
    assertThat(KeyValueParser.parse(null)).isEmpty();
    assertThat(KeyValueParser.parse("")).isEmpty();
    assertThat(KeyValueParser.parse("=== \" \\ =\"")).isEmpty();
    Random random = new Random(11);
    String alphabet = "ab=\" \\\t";
    for (int i = 0; i < 20_000; i++) {
      char[] text = new char[random.nextInt(40)];
      for (int j = 0; j < text.length; j++) {
        text[j] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String s = new String(text);
      assertThat(KeyValueParser.parse(s)).allSatisfy((k, v) -> assertThat(s).contains(k + "="));
    }
  }
}

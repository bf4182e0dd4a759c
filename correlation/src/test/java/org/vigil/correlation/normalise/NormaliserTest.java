package org.vigil.correlation.normalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormaliserTest {
  private static final String SUDO =
      """
      name: sudo
      match:
        appName: sudo
      fields:
        event.dataset: syslog.sudo
      types:
        process.pid: long
        vigil.ratio: double
      patterns:
        - id: command
          regex: '^\\s*(?<user>\\S+) : .*COMMAND=(?<cmd>.+)$'
          captures:
            user: [user.name, related.user]
            cmd: process.command_line
          fields:
            event.category: [process]
            event.type: [start]
        - id: number
          regex: 'pid=(?<pid>\\S+)'
          captures:
            pid: process.pid
      tests:
        - message: '  bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls'
          pattern: command
          expect:
            user.name: bob
            process.command_line: /bin/ls
            event.type: [start]
        - message: 'pid=42'
          expect:
            process.pid: 42
        - message: 'nothing'
          pattern: none
      """;

  @Test
  void mapsNamedGroupsToFieldsWithConstants() {
    Normaliser n = Normaliser.fromYaml(SUDO, "sudo.yaml");
    Normalisation r = n.normalise("bob : TTY=pts/0 ; USER=root ; COMMAND=/bin/ls -l");
    assertThat(r.pattern()).isEqualTo("command");
    assertThat(r.fields())
        .containsEntry("event.dataset", "syslog.sudo")
        .containsEntry("user.name", "bob")
        .containsEntry("related.user", "bob")
        .containsEntry("process.command_line", "/bin/ls -l")
        .containsEntry("event.category", List.of("process"));
    assertThat(n.runTests()).isEmpty();
  }

  @Test
  void convertsNumbersAndLeavesOutTextThatIsNotOne() {
    Normaliser n = Normaliser.fromYaml(SUDO, "sudo.yaml");
    assertThat(n.normalise("pid=42").fields()).containsEntry("process.pid", 42L);
    Normalisation bad = n.normalise("pid=abc");
    assertThat(bad.fields()).doesNotContainKey("process.pid");
    assertThat(bad.rejectedFields()).containsExactly("process.pid");
  }

  @Test
  void reportsFailingOwnTestWithFieldAndValues() {
    Normaliser n =
        Normaliser.fromYaml(
            SUDO.replace("process.command_line: /bin/ls", "process.command_line: /bin/rm"),
            "sudo.yaml");
    assertThat(n.runTests())
        .singleElement()
        .asString()
        .contains("process.command_line expected '/bin/rm' but was '/bin/ls'");
  }

  @Test
  void distinguishesNumberFromTextInExpectations() {
    Normaliser n = Normaliser.fromYaml(SUDO.replace("process.pid: 42", "process.pid: '42'"), "s");
    assertThat(n.runTests()).singleElement().asString().contains("process.pid");
  }

  @Test
  void rejectsCaptureOfGroupTheRegexDoesNotHave() {
    assertThatThrownBy(
            () -> Normaliser.fromYaml(SUDO.replace("cmd: process.command_line", "x: a"), "s.yaml"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("s.yaml")
        .hasMessageContaining("captures.x names no group");
  }

  @Test
  void rejectsInvalidRegexNamingThePattern() {
    assertThatThrownBy(() -> Normaliser.fromYaml(SUDO.replace("pid=(?<pid>", "pid=((?<pid>"), "s"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("pattern number")
        .hasMessageContaining("invalid regex");
  }

  @Test
  void rejectsUnknownTypeAndUnknownKey() {
    assertThatThrownBy(() -> Normaliser.fromYaml(SUDO.replace(": double", ": float"), "s"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("unknown type 'float'");
    assertThatThrownBy(
            () -> Normaliser.fromYaml(SUDO.replace("patterns:", "patern: 1\npatterns:"), "s"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("patern");
  }

  @Test
  void validatesIpLiteralsWithoutResolvingNames() {
    assertThat(FieldType.IP.convert("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(FieldType.IP.convert("2001:db8::7")).isEqualTo("2001:db8::7");
    assertThat(FieldType.IP.convert("256.1.1.1")).isNull();
    assertThat(FieldType.IP.convert("01.1.1.1")).isNull();
    assertThat(FieldType.IP.convert("localhost")).isNull();
    assertThat(FieldType.IP.convert("1.2.3")).isNull();
    assertThat(FieldType.IP.convert("gg::1")).isNull();
  }

  @Test
  void loadsAdminFolderInFileNameOrderAndRejectsDuplicateNames(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b-sudo.yaml"), SUDO);
    Files.writeString(
        dir.resolve("a-any.yml"),
        "name: any\npatterns:\n  - id: p\n    regex: COMMAND\n    fields: {tags: [x]}\n");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    NormaliserSet set = NormaliserSet.loadFrom(dir);
    assertThat(set.normalisers()).extracting(Normaliser::name).containsExactly("any", "sudo");
    assertThat(set.normalise("sudo", "bob : COMMAND=/bin/ls"))
        .hasValueSatisfying(r -> assertThat(r.normaliser()).isEqualTo("any"));
    assertThat(set.normalise("sudo", "pid=1"))
        .hasValueSatisfying(r -> assertThat(r.pattern()).isEqualTo("number"));
    assertThatThrownBy(() -> set.plus(set))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("two normalisers are named");
  }

  @Test
  void survivesJavaSerialisationAsFlinkShipsIt() throws Exception {
    NormaliserSet set = NormaliserSet.loadBuiltIn();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(set);
    }
    NormaliserSet copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (NormaliserSet) in.readObject();
    }
    assertThat(copy.runTests()).isEmpty();
    assertThat(copy.normalisers()).hasSameSizeAs(set.normalisers());
  }
}

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

  private static final String FIREWALL =
      """
      name: fw
      match:
        messagePattern: '\\bdevid='
      fields:
        event.dataset: syslog.fw
      types:
        source.port: long
        source.ip: ip
      keyValue:
        fields:
          srcip: source.ip
          srcport: source.port
          action: event.action
          user: [user.name, related.user]
      patterns:
        - id: denied
          when:
            type: traffic
            action: [deny, block]
          fields:
            event.action: traffic_denied
        - id: login
          regex: 'msg="Admin (?<verb>\\w+) login'
          when:
            type: event
          captures:
            verb: event.reason
      derive:
        event.action:
          traffic_denied: {event.outcome: failure}
          accept: {event.outcome: success, event.type: [allowed]}
        event.outcome:
          failure: {tags: [denied]}
      tests:
        - message: 'devid=F type=traffic action=deny srcip=203.0.113.9'
          pattern: denied
          expect:
            event.outcome: failure
      """;

  @Test
  void mapsKeyValuePairsAndChoosesPatternByTheirValues() {
    Normaliser n = Normaliser.fromYaml(FIREWALL, "fw.yaml");
    Normalisation denied =
        n.normalise("devid=F type=traffic action=\"block\" srcip=203.0.113.9 srcport=51234");
    assertThat(denied.pattern()).isEqualTo("denied");
    assertThat(denied.fields())
        .containsEntry("event.dataset", "syslog.fw")
        .containsEntry("source.ip", "203.0.113.9")
        .containsEntry("source.port", 51234L)
        .containsEntry("event.action", "traffic_denied")
        .containsEntry("event.outcome", "failure")
        .containsEntry("tags", List.of("denied"));
    assertThat(n.runTests()).isEmpty();
  }

  @Test
  void combinesWhenWithRegexAndLeavesOutValuesThatAreNotOfTheirType() {
    Normaliser n = Normaliser.fromYaml(FIREWALL, "fw.yaml");
    Normalisation login =
        n.normalise("type=event user=\"bob smith\" srcport=x msg=\"Admin failed login\"");
    assertThat(login.pattern()).isEqualTo("login");
    assertThat(login.fields())
        .containsEntry("user.name", "bob smith")
        .containsEntry("related.user", "bob smith")
        .containsEntry("event.reason", "failed")
        .doesNotContainKey("source.port");
    assertThat(login.rejectedFields()).containsExactly("source.port");
    assertThat(n.normalise("type=event msg=\"other\"").matched()).isFalse();
  }

  @Test
  void keepsKeyValueAndDerivedFieldsWhenNoPatternMatches() {
    Normaliser n = Normaliser.fromYaml(FIREWALL, "fw.yaml");
    Normalisation r = n.normalise("type=traffic action=accept srcip=198.51.100.7 srcport=");
    assertThat(r.matched()).isFalse();
    assertThat(r.fields())
        .containsEntry("event.dataset", "syslog.fw")
        .containsEntry("source.ip", "198.51.100.7")
        .containsEntry("event.action", "accept")
        .containsEntry("event.outcome", "success")
        .containsEntry("event.type", List.of("allowed"))
        .doesNotContainKey("source.port");
  }

  @Test
  void appliesOnlyToMessagesTheMessagePatternFinds() {
    NormaliserSet set = NormaliserSet.of(List.of(Normaliser.fromYaml(FIREWALL, "fw.yaml")));
    assertThat(set.normalise("anything", "devid=F type=traffic action=deny")).isPresent();
    assertThat(set.normalise("anything", "type=traffic action=deny")).isEmpty();
    Normaliser n = Normaliser.fromYaml(FIREWALL, "fw.yaml");
    assertThat(n.apply(null, "type=traffic action=deny")).isEmpty();
    assertThat(n.apply(null, "devid=F type=traffic action=deny"))
        .hasValueSatisfying(r -> assertThat(r.pattern()).isEqualTo("denied"));
  }

  @Test
  void putsProgramNameBeforeMessageWhenAsked() {
    Normaliser n =
        Normaliser.fromYaml(
            """
            name: asa
            match:
              messagePattern: '^%ASA-\\d-\\d{6}: '
            text: program_and_message
            patterns:
              - id: deny
                regex: '^%ASA-\\d-(?<code>106023): Deny'
                captures:
                  code: event.code
            tests:
              - appName: '%ASA-4-106023'
                message: 'Deny tcp'
                pattern: deny
              - message: '%ASA-4-106023: Deny tcp'
                pattern: deny
                expect:
                  event.code: '106023'
              - message: '%ASA-6-305011: Built'
                pattern: none
            """,
            "asa.yaml");
    assertThat(n.text("%ASA-4-106023", "Deny tcp")).isEqualTo("%ASA-4-106023: Deny tcp");
    assertThat(n.text(null, "%ASA-4-106023: Deny tcp")).isEqualTo("%ASA-4-106023: Deny tcp");
    assertThat(n.apply("%ASA-4-106023", "Deny tcp"))
        .hasValueSatisfying(r -> assertThat(r.fields()).containsEntry("event.code", "106023"));
    assertThat(n.apply("sshd", "Deny tcp")).isEmpty();
    assertThat(n.runTests()).isEmpty();
  }

  @Test
  void reportsOwnTestWhoseMessageTheNormaliserDoesNotApplyTo() {
    Normaliser n = Normaliser.fromYaml(FIREWALL.replace("'devid=F type", "'type"), "fw.yaml");
    assertThat(n.runTests()).singleElement().asString().contains("does not apply");
  }

  @Test
  void rejectsMisusedKeyValueWhenAndText() {
    assertThatThrownBy(
            () ->
                Normaliser.fromYaml(
                    SUDO.replace("regex: 'pid=", "when: {a: b}\n    regex: 'pid="), "s"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("'keyValue' is missing");
    assertThatThrownBy(
            () ->
                Normaliser.fromYaml(
                    FIREWALL.replace(
                        "    when:\n      type: traffic\n      action: [deny, block]\n", ""),
                    "f"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("pattern denied: needs 'regex' or 'when'");
    assertThatThrownBy(
            () ->
                Normaliser.fromYaml(
                    FIREWALL.replace(
                        "fields:\n  event.dataset", "text: raw\nfields:\n  event.dataset"),
                    "f"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("text: 'raw'");
    assertThatThrownBy(
            () ->
                Normaliser.fromYaml(
                    FIREWALL.replace(
                        "      event.action: traffic_denied\n",
                        "      event.action: traffic_denied\n    captures: {x: y}\n"),
                    "f"))
        .isInstanceOf(NormaliserException.class)
        .hasMessageContaining("'captures' needs a 'regex'");
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

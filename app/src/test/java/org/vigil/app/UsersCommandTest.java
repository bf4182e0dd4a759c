package org.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage errors that {@code vigil users} reports before it contacts Elasticsearch. */
class UsersCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Vigil.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void helpListsTheSubcommandsAndThePasswordRule() {
    assertThat(run("users", "--help")).isZero();
    assertThat(out.toString()).contains("add", "passwd", "disable", "enable", "list");
    out.getBuffer().setLength(0);
    assertThat(run("users", "add", "--help")).isZero();
    assertThat(out.toString()).contains("--password-stdin", "--elasticsearch", "--role");
    assertThat(out.toString()).doesNotContain("--password ");
  }

  @Test
  void unknownRoleIsAUsageErrorNamingTheRoles() {
    assertThat(run("users", "add", "nina", "--role", "wizard")).isEqualTo(2);
    assertThat(err.toString()).contains("wizard").contains("analyst, rule_admin, auditor or admin");
  }

  @Test
  void invalidUsernameIsAUsageError() {
    assertThat(run("users", "add", "no spaces", "--role", "analyst")).isEqualTo(2);
    assertThat(err.toString()).contains("invalid username");
  }

  @Test
  void addNeedsARole() {
    assertThat(run("users", "add", "nina")).isEqualTo(2);
    assertThat(err.toString()).contains("--role");
  }

  @Test
  void aPasswordOnTheCommandLineIsRefused() {
    assertThat(run("users", "add", "nina", "--role", "analyst", "--password", "x")).isEqualTo(2);
  }

  @Test
  void unreachableElasticsearchIsARuntimeErrorOnOneLine() {
    assertThat(run("users", "list", "--elasticsearch", "http://127.0.0.1:1")).isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("vigil: ").doesNotContain("\n");
  }
}
